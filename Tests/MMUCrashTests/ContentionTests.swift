@_spi(FaultInjection) import CrashHarness
import Foundation
import MMUStore
import Testing

extension CrashTests {
    /// T9 (RELIABILITY.md §8): two writer processes and a reader on one file, 1,000 transactions
    /// per writer: no busy failure under normal load, and the final log holds exactly the
    /// acknowledged transactions, by sequence and by content digest.
    ///
    /// Normal load: each writer thinks 0 to 40 ms between transactions and the reader pauses
    /// 50 ms between checks. With less think time on a loaded machine, one writer can starve
    /// the other past the busy timeout (SQLite's busy handler polls with back-off and keeps no
    /// queue), which then fails as `busy`; a reader that never pauses keeps the WAL from ever
    /// being reset, and it grows past 100 MB.
    @Suite struct ContentionTests {
        static let transactions = 1_000

        @Test func twoWritersAndAReaderCommitExactlyWhatWasAcknowledged() throws {
            let scratch = try Scratch()
            let path = scratch.path("store.sqlite")
            let sets = ["w1", "w2"]
            let seed = UInt64.random(in: 0...UInt64.max)
            do {
                let store = try TranslationStore(path: path, creatingIfMissing: true)
                for name in sets { try store.createSet(named: name) }
            }
            let started = Date()
            let reader = try WorkerProcess(["reader", "--store", path, "--pause-ms", "50"])
            let writers = try sets.map { name in
                try WorkerProcess(["writer", "--store", path, "--seed", "\(seed)", "--set", name, "--transactions", "\(Self.transactions)", "--pause-ms", "40"])
            }
            let outcomes = writers.map { $0.wait() }
            reader.kill()
            let readerOutcome = reader.wait()
            let elapsed = Date().timeIntervalSince(started)

            for (name, outcome) in zip(sets, outcomes) {
                #expect(outcome.status == 0 && !outcome.wasSignalled, "writer \(name): \(outcome.summary)")
                #expect(outcome.errorLine == nil, "writer \(name): \(outcome.errorLine ?? "")")
                #expect(outcome.acknowledgements.count == Self.transactions, "writer \(name) acknowledged \(outcome.acknowledgements.count)")
            }
            #expect(!readerOutcome.lines.contains { $0.hasPrefix("VIOLATION") || $0.hasPrefix("ERROR") }, "reader: \(readerOutcome.lines.filter { !$0.hasPrefix("CHECKED") }.prefix(5))")
            let checks = readerOutcome.lines.compactMap { $0.hasPrefix("CHECKED ") ? Int($0.dropFirst(8)) : nil }.max() ?? 0

            var acknowledged: [Int64: (set: String, commit: Acknowledgement.Commit)] = [:]
            for (name, outcome) in zip(sets, outcomes) {
                for acknowledgement in outcome.acknowledgements {
                    guard let commit = acknowledgement.commit else { continue }
                    #expect(acknowledged[commit.sequence] == nil, "sequence \(commit.sequence) acknowledged twice")
                    acknowledged[commit.sequence] = (name, commit)
                }
            }
            let store = try TranslationStore(path: path)
            let log = try store.log()
            #expect(Set(log.map(\.sequence)) == Set(acknowledged.keys), "the log's sequence numbers are not exactly the acknowledged ones")
            var mismatches: [String] = []
            for entry in log {
                guard let (name, commit) = acknowledged[entry.sequence] else { continue }
                if entry.setName != name || entry.generation != commit.generation || entry.digest != commit.digest {
                    mismatches.append("sequence \(entry.sequence): log \(entry.setName)@\(entry.generation) \(entry.digest), acknowledged \(name)@\(commit.generation) \(commit.digest)")
                }
            }
            #expect(mismatches.isEmpty, "\(mismatches.count) log rows differ from their acknowledgement: \(mismatches.prefix(5))")
            #expect(try store.check(deep: true).isSound)
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? NSNumber)?.int64Value ?? 0
            #expect(wal < 64 << 20, "the WAL grew to \(wal) bytes")
            for name in sets {
                let expected = ExpectedState(sets: [name]) { SoakTransaction(privateSeed: seed, set: name, number: $0) }
                try expected.advance(to: Int64(Self.transactions))
                #expect(try expected.differences(from: store).isEmpty, "seed \(seed): set \(name) differs from its model")
            }
            print("T9 seed \(seed): \(log.count) transactions by 2 writers, \(checks) reader checks, \(mismatches.count) mismatches, WAL \(wal / 1024) KiB, "
                + String(format: "%.1f s", elapsed))
        }
    }
}
