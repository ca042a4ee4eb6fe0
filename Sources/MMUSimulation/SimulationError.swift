import MMUTraces
/// Why a simulation stopped. After one, the simulator refuses further events: restore it from
/// the store instead.
public enum SimulationError: Error, Hashable, Sendable {
    /// The trace could not be read.
    case trace(TraceError)
    /// A transaction failed (the commit handler or the engine threw): the set, the label, the
    /// trace line and the error's description.
    case transactionFailed(set: String, label: String, lineNumber: Int, message: String)
    /// A snapshot request failed.
    case snapshotFailed(label: String, message: String)
    /// No free frame was left for a page fault at this trace line.
    case outOfMemory(set: String, lineNumber: Int)
    /// A set given to restore does not fit the simulation: the set and the reason.
    case invalidRestore(set: String, reason: String)
    /// The options are invalid.
    case invalidOptions(String)
    /// A restored simulation met an event of no named process (a lackey trace without its
    /// `==PID==` banner) at this trace line, while its sets belong to named processes: the set
    /// of its first process.
    case unnamedProcess(set: String, lineNumber: Int)
    /// An earlier error stopped the simulator.
    case stopped
}

extension SimulationError: CustomStringConvertible {
    /// A sentence naming the culprit.
    public var description: String {
        switch self {
        case .trace(let error): "\(error)"
        case .transactionFailed(let set, let label, let line, let message):
            "transaction '\(label)' on set '\(set)' (trace line \(line)) failed: \(message)"
        case .snapshotFailed(let label, let message): "snapshot '\(label)' failed: \(message)"
        case .outOfMemory(let set, let line):
            "out of simulated physical memory at trace line \(line) (set '\(set)'); give the simulation more memory"
        case .invalidRestore(let set, let reason): "cannot restore set '\(set)': \(reason)"
        case .invalidOptions(let message): "invalid simulation options: \(message)"
        case .unnamedProcess(let set, let line):
            "trace line \(line) names no process (a lackey trace without its ==PID== banner) but the restored simulation continues named processes; it would go into a new set while '\(set)' stays at the snapshot: give the process (TraceParsingOptions.processID; `mmu simulate --from` gives the resumed set's own) or restore the trace's banner line"
        case .stopped: "the simulator stopped after an earlier error; restore it from a snapshot"
        }
    }
}
