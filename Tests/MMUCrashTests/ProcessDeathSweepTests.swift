@_spi(FaultInjection) import CrashHarness
import Foundation
@_spi(FaultInjection) import MMUStore
import Testing

extension CrashTests {
    /// T2 (RELIABILITY.md §8): the worker dies (`_exit`, as kill -9 would) at every I/O point
    /// of each workload, from opening the store to closing it, under both production
    /// durabilities; the parent then opens the store once: it must open on the first try, pass
    /// the deep check, and be exactly before or after the step (after, if it was acknowledged).
    ///
    /// Under DELETE+EXTRA the last I/O of a commit is the journal's deletion, so no death lands
    /// after a lone step; there the workload runs two steps, and deaths in the second must keep
    /// the first.
    ///
    /// The points are the writes, syncs, truncates, opens and deletes: every distinct state the
    /// files can be left in. A death before a read or a shared-memory call leaves the files as a
    /// death before the next of those does; one workload also sweeps every point of every kind.
    @Suite struct ProcessDeathSweepTests {
        static let fileOperations: FaultVFS.Operations = [.write, .sync, .truncate, .open, .delete]

        @Test(arguments: [TranslationStore.Durability.walFull, .deleteExtra], Workload.allCases)
        func deathAtEveryIOPointLeavesTheStoreBeforeOrAfter(durability: TranslationStore.Durability, workload: Workload) throws {
            let steps = durability == .deleteExtra ? 2 : 1
            try sweep(ChildSweep(workload: workload, durability: durability, steps: steps, operations: Self.fileOperations, mode: .exit),
                limit: workload == .bulkMap ? 20 : 200)
        }

        @Test func deathAtEveryPointOfEveryKindOfOneMap() throws {
            try sweep(ChildSweep(workload: .singleMap, durability: .walFull, steps: 1, operations: .all, mode: .exit), limit: 200)
        }

        private func sweep(_ sweep: ChildSweep, limit: Int) throws {
            let started = Date()
            let scratch = try Scratch()
            let states = try CrashFixtures.shared.states(sweep.workload, sweep.durability, steps: sweep.steps)
            let count = try sweep.countPoints(in: scratch)
            #expect(count > 0)
            var violations: [String] = []
            var runs = 0, deaths = 0
            var recovered: [Int: Int] = [:]
            for point in sweepPoints(count, limit: limit) {
                let finding = try sweep.run(point: point, in: scratch, states: states)
                runs += 1
                if finding.ended { deaths += 1 }
                if let step = finding.recoveredStep { recovered[step, default: 0] += 1 }
                violations += finding.violations
            }
            print(
                "T2 \(sweep.durability.rawValue) \(sweep.workload.rawValue) (\(sweep.operations)): K = \(count), \(runs) runs, \(deaths) deaths, "
                    + "recovered to step " + recovered.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
                    + ", \(violations.count) violations, "
                    + String(format: "%.1f s", Date().timeIntervalSince(started)))
            #expect(violations.isEmpty, "\(violations.count) violations, first: \(violations.prefix(10))")
            #expect(deaths > 0)
            // A second compaction has nothing left to remove and writes nothing, so under a
            // rollback journal no death can land after a compaction's commit.
            let bothSides = sweep.durability == .walFull || sweep.workload != .compaction
            #expect(recovered[0] ?? 0 > 0 && (!bothSides || recovered[1] ?? 0 > 0), "the deaths should land on both sides of a commit")
        }
    }
}
