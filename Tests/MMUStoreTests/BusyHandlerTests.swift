import Testing

@testable import MMUStore

/// The busy handler's schedule, with its naps counted instead of slept: deterministic under
/// any machine load. (`BusyTimeoutTests` in the crash suite checks the real wait across
/// processes, with one generous wall-clock bound.)
struct BusyHandlerTests {
    typealias Handler = (Int, (UInt32) -> Void) -> Bool

    /// What a handler does when SQLite keeps calling it: how many times it napped before
    /// giving up and how long those naps add up to, or `nil` tries when it had not given up
    /// after `cap` calls.
    struct Schedule {
        var tries: Int?
        var naps: [UInt32] = []
        var seconds: Double { Double(naps.reduce(0) { $0 + UInt64($1) }) / 1_000_000 }
    }

    static func schedule(of handler: Handler, cap: Int = 1_000_000) -> Schedule {
        var schedule = Schedule()
        for tries in 0..<cap {
            if !handler(tries, { schedule.naps.append($0) }) {
                schedule.tries = tries
                return schedule
            }
        }
        return schedule
    }

    /// Why `schedule` is not a wait of `timeout` seconds in naps of about a millisecond, each
    /// call napping once, that gives up in the end.
    static func problems(_ schedule: Schedule, timeout: Double) -> [String] {
        guard let tries = schedule.tries else { return ["the handler never gave up"] }
        var problems: [String] = []
        if schedule.naps.count != tries { problems.append("\(schedule.naps.count) naps for \(tries) calls that kept waiting") }
        if let nap = schedule.naps.first(where: { !(500...1500).contains($0) }) { problems.append("a nap of \(nap) µs, outside 500...1500") }
        if schedule.seconds < timeout * 0.9 || schedule.seconds > timeout * 1.1 {
            problems.append(String(format: "the naps add up to %.3f s, not %.1f s within 10%%", schedule.seconds, timeout))
        }
        return problems
    }

    @Test func theStoresHandlerNapsAboutAMillisecondUntilTheTimeoutThenGivesUp() {
        let schedule = Self.schedule(of: TranslationStore.waitForLock(_:nap:))
        print(String(format: "busy handler: gives up after %d tries, %.3f s of naps requested", schedule.tries ?? -1, schedule.seconds))
        #expect(Self.problems(schedule, timeout: TranslationStore.busyTimeout).isEmpty, "\(Self.problems(schedule, timeout: TranslationStore.busyTimeout))")
        #expect(schedule.tries == Int((TranslationStore.busyTimeout / TranslationStore.lockNap).rounded(.up)))
        #expect(!TranslationStore.waitForLock(schedule.tries ?? 0, nap: { _ in Issue.record("napped after giving up") }))
    }

    /// Planted faults: a handler that gives up after 10 ms, one that never gives up, and one
    /// that naps 100 ms (SQLite's own back-off) must each fail the checks.
    @Test func handlersThatGiveUpEarlyNeverOrNapTooLongFailTheChecks() {
        let early: Handler = { tries, nap in
            guard tries < 10 else { return false }
            nap(1000)
            return true
        }
        let never: Handler = { _, nap in
            nap(1000)
            return true
        }
        let long: Handler = { tries, nap in
            guard Double(tries) * 0.1 < TranslationStore.busyTimeout else { return false }
            nap(100_000)
            return true
        }
        for handler in [early, never, long] {
            #expect(!Self.problems(Self.schedule(of: handler, cap: 100_000), timeout: TranslationStore.busyTimeout).isEmpty)
        }
    }
}
