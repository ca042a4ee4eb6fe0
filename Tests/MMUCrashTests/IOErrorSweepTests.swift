import CrashHarness
import Foundation
import MMUCore
import MMUStore
import Testing

extension CrashTests {
    /// T1 (RELIABILITY.md §8): an I/O error at every I/O point of representative operations,
    /// in transient, persistent and disk-full modes, for each kind of operation, under both
    /// production durabilities. The fault stays armed while the store closes, so checkpoints
    /// on close are hit too.
    @Suite struct IOErrorSweepTests {
        /// How many fault points a (kind, mode) pair visits at most: every point of every
        /// workload but the bulk map, whose 20,000 entries take hundreds of writes and reads;
        /// its points are spread evenly with both ends in full.
        static func pointLimit(_ workload: Workload) -> Int { workload == .bulkMap ? 6 : 64 }

        @Test(arguments: [TranslationStore.Durability.walFull, .deleteExtra], Workload.allCases)
        func everyIOErrorLeavesTheStoreBeforeOrAfter(durability: TranslationStore.Durability, workload: Workload) throws {
            try FaultVFS.register()
            let fixtures = CrashFixtures.shared
            let states = try fixtures.states(workload, durability, steps: 1)
            let (before, after) = (states[0], states[1])
            #expect(before != after, "the \(workload) step changes nothing, so the sweep would prove nothing")
            let scratch = try Scratch()
            let path = scratch.path("store.sqlite")

            // Learn K per kind: one run counting, armed after opening, through the close.
            try fixtures.copyTemplate(durability, to: path)
            var counts: [(String, FaultVFS.Operations, Int64)] = []
            do {
                let store = try TranslationStore(path: path, vfs: FaultVFS.name, durability: durability)
                FaultVFS.reset()
                FaultVFS.arm(.count, at: 0, operations: .all)
                try workload.run(step: 0, on: store)
            }
            counts = FaultVFS.Operations.named.map { ($0.0, $0.1, FaultVFS.count($0.1)) }
            FaultVFS.reset()
            #expect(counts.first { $0.0 == "write" }?.2 ?? 0 > 0)
            #expect(counts.first { $0.0 == "sync" }?.2 ?? 0 > 0)

            var tally = SweepTally()
            for (name, kind, count) in counts where count > 0 {
                let modes: [FaultVFS.Mode] = kind == .write ? [.transient, .persistent, .diskFull] : [.transient, .persistent]
                for mode in modes {
                    for point in sweepPoints(count, limit: Self.pointLimit(workload)) {
                        let label = "\(durability.rawValue) \(workload.rawValue) \(name) #\(point)/\(count) \(mode.rawValue)"
                        try runOnce(
                            label, path: path, durability: durability, workload: workload, kind: kind, mode: mode, point: point,
                            before: before, after: after, tally: &tally)
                    }
                }
            }
            print("T1 \(durability.rawValue) \(workload.rawValue): K = \(counts.map { "\($0.0) \($0.2)" }.joined(separator: ", ")); \(tally)")
            for line in tally.errorButCommitted.prefix(20) { print("T1 error but committed: \(line)") }
            #expect(tally.violations.isEmpty, "\(tally.violations.count) violations, first: \(tally.violations.prefix(10))")
            #expect(tally.faults > 0)
        }

        /// One run: a fresh copy, the step under the armed fault, the close under it too, then
        /// recovery and the checks.
        private func runOnce(
            _ label: String, path: String, durability: TranslationStore.Durability, workload: Workload, kind: FaultVFS.Operations,
            mode: FaultVFS.Mode, point: Int64, before: StoreFingerprint, after: StoreFingerprint, tally: inout SweepTally
        ) throws {
            let start = Date()
            defer { tally.time(label, since: start) }
            try CrashFixtures.shared.copyTemplate(durability, to: path)
            var acknowledged = false
            var failure: StoreError?
            var faultsInStep: Int64 = 0
            FaultVFS.reset()
            do {
                let store = try TranslationStore(path: path, vfs: FaultVFS.name, durability: durability)
                FaultVFS.arm(mode, at: point, operations: kind)
                do {
                    try workload.run(step: 0, on: store)
                    acknowledged = true
                } catch let error as StoreError {
                    failure = error
                } catch {
                    tally.violations.append("\(label): an untyped error escaped: \(error)")
                }
                faultsInStep = FaultVFS.faults
            }
            let faults = FaultVFS.faults
            FaultVFS.disarm()
            tally.runs += 1
            tally.faults += Int(faults)
            if faults > faultsInStep { tally.note("faults in close/checkpoint") }
            if let failure { tally.note("typed error \(failure.code)") }

            let recovery = Recovery(path: path, durability: durability)
            tally.violations += recovery.problems.map { "\(label): \($0)" }
            guard let state = recovery.fingerprint else { return }
            if state != before && state != after {
                tally.violations.append("\(label): the store is neither before nor after the step (torn): \(state)")
                return
            }
            if acknowledged && state != after {
                tally.violations.append("\(label): the step returned but the store is back before it (lost acknowledgement)")
            }
            if !acknowledged && failure == nil { return }
            if faultsInStep == 0 && failure != nil {
                tally.violations.append("\(label): the step failed with no fault injected: \(failure?.detailedDescription() ?? "")")
            }
            if failure != nil && state == after {
                tally.errorButCommitted.append("\(label): \(failure?.code.description ?? "") \(failure?.message ?? "")")
            }
            if failure != nil && (state == after || workload != .bulkMap) {
                tally.retries += 1
                tally.violations += retry(label, path: path, durability: durability, workload: workload, from: state == after, after: after)
            }
        }

        /// The caller's idempotent retry after an error: it must end in the after state,
        /// without applying the step twice.
        private func retry(
            _ label: String, path: String, durability: TranslationStore.Durability, workload: Workload, from committed: Bool,
            after: StoreFingerprint
        ) -> [String] {
            var problems: [String] = []
            do {
                let store = try TranslationStore(path: path, vfs: nil, durability: durability)
                do {
                    try workload.run(step: 0, on: store, expectedGeneration: CrashFixtures.baseGeneration)
                    if committed && workload != .compaction {
                        problems.append("\(label): the retry applied a step that had already committed")
                    }
                } catch let error as StoreError {
                    let expected: StoreError.Code = workload == .snapshot ? .alreadyExists : .conflict
                    if !committed || error.code != expected {
                        problems.append("\(label): the retry failed with \(error.code): \(error.message)")
                    }
                }
            } catch {
                problems.append("\(label): the store did not open for the retry: \(error)")
            }
            do {
                if try StoreFingerprint(path: path) != after {
                    problems.append("\(label): after the retry the store is not in the after state")
                }
            } catch {
                problems.append("\(label): the store could not be read after the retry: \(error)")
            }
            return problems
        }
    }
}
