import CrashHarness
import Foundation
import MMUStore
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
    ///
    /// Every point is swept, except the writes of the bulk map (about 700 under WAL, 530 under
    /// a rollback journal, half a second a run): its syncs, truncates, opens and deletes are
    /// each swept in full with a mask of that kind alone (the N-th sync is the same moment
    /// whatever else is counted), and its writes are sampled, the first and last few included;
    /// each sweep prints "N of M points".
    @Suite struct ProcessDeathSweepTests {
        static let fileOperations: FaultVFS.Operations = [.write, .sync, .truncate, .open, .delete]
        /// The writes of a bulk map swept, out of several hundred.
        static let bulkWriteSample = 24

        @Test(arguments: [TranslationStore.Durability.walFull, .deleteExtra], Workload.allCases.filter { $0 != .bulkMap })
        func deathAtEveryIOPointLeavesTheStoreBeforeOrAfter(durability: TranslationStore.Durability, workload: Workload) throws {
            let steps = durability == .deleteExtra ? 2 : 1
            let tally = try sweep(
                ChildSweep(workload: workload, durability: durability, steps: steps, operations: Self.fileOperations, mode: .exit), limit: nil)
            try expectSound(tally, durability: durability, workload: workload)
        }

        @Test(arguments: [TranslationStore.Durability.walFull, .deleteExtra])
        func deathAtEverySyncTruncateOpenAndDeleteAndSampledWritesOfABulkMap(durability: TranslationStore.Durability) throws {
            let steps = durability == .deleteExtra ? 2 : 1
            var tally = Tally()
            var kinds: [String] = []
            for (name, kind) in FaultVFS.Operations.named where Self.fileOperations.contains(kind) {
                let child = ChildSweep(workload: .bulkMap, durability: durability, steps: steps, operations: kind, mode: .exit)
                let part = try sweep(child, limit: kind == .write ? Self.bulkWriteSample : nil, allowingNoPoints: true)
                if part.points > 0 { kinds.append(name) }
                tally.add(part)
            }
            print("T2 \(durability.rawValue) bulkMap: \(tally.runs) of \(tally.points) points, every kind swept: \(kinds.joined(separator: ", "))")
            #expect(kinds.contains("write") && kinds.contains("sync") && kinds.contains("open") && kinds.contains("delete"))
            try expectSound(tally, durability: durability, workload: .bulkMap)
        }

        @Test func deathAtEveryPointOfEveryKindOfOneMap() throws {
            let tally = try sweep(ChildSweep(workload: .singleMap, durability: .walFull, steps: 1, operations: .all, mode: .exit), limit: nil)
            #expect(tally.runs == tally.points)
            try expectSound(tally, durability: .walFull, workload: .singleMap)
        }

        /// What the runs of one or more sweeps found.
        struct Tally {
            var points = 0, runs = 0, deaths = 0
            var recovered: [Int: Int] = [:]
            var violations: [String] = []

            mutating func add(_ other: Tally) {
                points += other.points
                runs += other.runs
                deaths += other.deaths
                recovered.merge(other.recovered, uniquingKeysWith: +)
                violations += other.violations
            }
        }

        private func expectSound(_ tally: Tally, durability: TranslationStore.Durability, workload: Workload) throws {
            #expect(tally.violations.isEmpty, "\(tally.violations.count) violations, first: \(tally.violations.prefix(10))")
            #expect(tally.deaths > 0)
            // A second compaction has nothing left to remove and writes nothing, so under a
            // rollback journal no death can land after a compaction's commit.
            let bothSides = durability == .walFull || workload != .compaction
            #expect(tally.recovered[0] ?? 0 > 0 && (!bothSides || tally.recovered[1] ?? 0 > 0), "the deaths should land on both sides of a commit")
        }

        /// Runs `sweep` at every point, or at `limit` of them (the first and last included)
        /// when there are more, and prints "N of M points".
        private func sweep(_ sweep: ChildSweep, limit: Int?, allowingNoPoints: Bool = false) throws -> Tally {
            let started = Date()
            let scratch = try Scratch()
            let states = try CrashFixtures.shared.states(sweep.workload, sweep.durability, steps: sweep.steps)
            let count = try sweep.countPoints(in: scratch)
            if !allowingNoPoints { #expect(count > 0) }
            var tally = Tally()
            tally.points = Int(count)
            let points = limit.map { sweepPoints(count, limit: $0) } ?? (count > 0 ? Array(1...count) : [])
            if count > 0 { #expect(points.first == 1 && points.last == count, "the sweep must include the first and the last point") }
            for point in points {
                let finding = try sweep.run(point: point, in: scratch, states: states)
                tally.runs += 1
                if finding.ended { tally.deaths += 1 }
                if let step = finding.recoveredStep { tally.recovered[step, default: 0] += 1 }
                tally.violations += finding.violations
            }
            print(
                "T2 \(sweep.durability.rawValue) \(sweep.workload.rawValue) (\(sweep.operations)): \(tally.runs) of \(count) points"
                    + (tally.runs < count ? " (sampled)" : "") + ", \(tally.deaths) deaths, "
                    + "recovered to step " + tally.recovered.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
                    + ", \(tally.violations.count) violations, "
                    + String(format: "%.1f s", Date().timeIntervalSince(started)))
            return tally
        }
    }
}
