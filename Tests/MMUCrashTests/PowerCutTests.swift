import CrashHarness
import Foundation
import MMUStore
import Testing

extension CrashTests {
    /// T3 (RELIABILITY.md §8): the power is cut at every sync point (every sync, and every delete
    /// with its directory sync) of 1 to 3 transactions and the close after them: the writes not
    /// yet made durable are undone, newest first, and the worker dies. Under WAL+FULL and
    /// DELETE+EXTRA no acknowledged step may be lost; WAL+NORMAL, the canary, must lose at least
    /// one (or the simulation is broken), and never tear one.
    @Suite struct PowerCutTests {
        static let syncPoints: FaultVFS.Operations = [.sync, .delete]

        /// The workloads and their step counts.
        static let workloads: [(Workload, Int)] = [(.singleMap, 3), (.mixedBatch, 3), (.bulkMap, 1), (.snapshot, 2), (.compaction, 1)]

        @Test(arguments: [TranslationStore.Durability.walFull, .deleteExtra])
        func noAcknowledgedStepIsLostWhenThePowerIsCut(durability: TranslationStore.Durability) throws {
            let (runs, cuts, lost, violations) = try sweepAll(durability)
            print("T3 \(durability.rawValue): \(runs) runs, \(cuts) power cuts, \(lost) acknowledged steps lost, \(violations.count) violations")
            #expect(cuts > 0)
            #expect(violations.isEmpty, "\(violations.count) violations, first: \(violations.prefix(10))")
            #expect(lost == 0)
        }

        @Test func theWALNormalCanaryLosesAcknowledgedStepsButTearsNone() throws {
            let (runs, cuts, lost, violations) = try sweepAll(.walNormal, lossAllowed: true)
            print("T3 walNormal (canary): \(runs) runs, \(cuts) power cuts, \(lost) acknowledged steps lost, \(violations.count) violations")
            #expect(cuts > 0)
            #expect(violations.isEmpty, "\(violations.count) violations, first: \(violations.prefix(10))")
            #expect(lost > 0, "WAL+NORMAL lost nothing: the power-cut simulation does not work")
        }

        private func sweepAll(_ durability: TranslationStore.Durability, lossAllowed: Bool = false) throws -> (Int, Int, Int, [String]) {
            let scratch = try Scratch()
            var runs = 0, cuts = 0, lost = 0
            var violations: [String] = []
            for (workload, steps) in Self.workloads {
                let started = Date()
                let sweep = ChildSweep(workload: workload, durability: durability, steps: steps, operations: Self.syncPoints, mode: .powerCut)
                let states = try CrashFixtures.shared.states(workload, durability, steps: steps)
                let count = try sweep.countPoints(in: scratch)
                var caseLost = 0
                for point in sweepPoints(count, limit: 200) {
                    let finding = try sweep.run(point: point, in: scratch, states: states, lossAllowed: lossAllowed)
                    runs += 1
                    if finding.ended { cuts += 1 }
                    caseLost += finding.lostAcknowledgements
                    violations += finding.violations
                }
                lost += caseLost
                print(
                    "T3 \(durability.rawValue) \(workload.rawValue) × \(steps): K = \(count) sync points, \(caseLost) acknowledged steps lost, "
                        + String(format: "%.1f s", Date().timeIntervalSince(started)))
            }
            return (runs, cuts, lost, violations)
        }
    }
}
