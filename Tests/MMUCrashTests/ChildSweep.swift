import CrashHarness
import Foundation
import MMUStore

/// Sweeps of a fault that ends the worker (process death, power cut): one child per point,
/// then the parent recovers the store and checks it against the states the workload goes
/// through (index 0 before any step, index i after step i).
struct ChildSweep {
    let workload: Workload
    let durability: TranslationStore.Durability
    let steps: Int
    let operations: FaultVFS.Operations
    let mode: FaultVFS.Mode

    /// The worker's arguments for one run.
    func arguments(store: String, mode: FaultVFS.Mode, point: Int64) -> [String] {
        [
            "run", "--store", store, "--durability", durability.rawValue, "--workload", workload.rawValue, "--steps", "\(steps)",
            "--fault", mode.rawValue, "--at", "\(point)", "--operations", operations.description,
        ]
    }

    /// K: the masked operations of one run without faults, from opening the store to closing it.
    func countPoints(in scratch: Scratch) throws -> Int64 {
        let path = scratch.path("count.sqlite")
        try CrashFixtures.shared.copyTemplate(durability, to: path)
        let outcome = try WorkerProcess.run(arguments(store: path, mode: .count, point: 0))
        guard outcome.status == 0, !outcome.wasSignalled, outcome.acknowledgements.count == steps,
            let stats = outcome.lines.first(where: { $0.hasPrefix("STATS ") }),
            let field = stats.split(separator: " ").first(where: { $0.hasPrefix("points=") }),
            let points = Int64(field.dropFirst(7))
        else {
            throw HarnessError("the counting run of \(workload) under \(durability) failed: \(outcome.summary)")
        }
        return points
    }

    /// What one run found.
    struct Finding {
        var violations: [String] = []
        /// Whether the fault ended the worker (the point was reached).
        var ended = false
        /// Acknowledged steps that the recovered store does not hold.
        var lostAcknowledgements = 0
        /// The step the store recovered to.
        var recoveredStep: Int?
    }

    /// Runs the worker with the fault at `point`, recovers and checks: I1 (opens once, deep
    /// check sound), I2 (exactly one of the workload's states: nothing torn), I3 (no
    /// acknowledged step lost, unless `lossAllowed`), I4 (at most the step in flight beyond
    /// the acknowledged ones).
    func run(point: Int64, in scratch: Scratch, states: [StoreFingerprint], lossAllowed: Bool = false) throws -> Finding {
        let label = "\(durability.rawValue) \(workload.rawValue) \(mode.rawValue) at \(operations) #\(point)"
        let path = scratch.path("store.sqlite")
        try CrashFixtures.shared.copyTemplate(durability, to: path)
        let outcome = try WorkerProcess.run(arguments(store: path, mode: mode, point: point))
        var finding = Finding()
        let expectedStatus = mode == .powerCut ? FaultVFS.powerCutStatus : FaultVFS.exitStatus
        finding.ended = !outcome.wasSignalled && outcome.status == expectedStatus
        if !finding.ended && !(outcome.status == 0 && !outcome.wasSignalled) {
            finding.violations.append("\(label): the worker ended unexpectedly: \(outcome.summary)")
        }
        let acknowledged = outcome.acknowledgements.count
        let recovery = Recovery(path: path, durability: durability)
        finding.violations += recovery.problems.map { "\(label): \($0)" }
        guard let state = recovery.fingerprint else { return finding }
        guard let step = states.firstIndex(of: state) else {
            finding.violations.append("\(label): the recovered store matches none of the workload's states (torn): \(state)")
            return finding
        }
        finding.recoveredStep = step
        if step < acknowledged {
            finding.lostAcknowledgements = acknowledged - step
            if !lossAllowed {
                finding.violations.append("\(label): \(acknowledged) steps acknowledged, the store recovered to step \(step) (lost)")
            }
        }
        if step > acknowledged + 1 {
            finding.violations.append("\(label): \(acknowledged) steps acknowledged, the store holds \(step) (phantom)")
        }
        return finding
    }
}
