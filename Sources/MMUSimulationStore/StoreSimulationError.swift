import MMUCore
import MMUTraces

/// Why a simulation could not be resumed from a snapshot. Each case names the culprit.
public enum StoreSimulationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The set has no snapshot of this name.
    case noSnapshot(set: String, snapshot: String)
    /// The snapshot carries no simulation metadata: it was not taken by a simulation.
    case notASimulation(set: String, snapshot: String)
    /// The snapshot kept no page counters (an older simulation took it).
    case noKeptCounters(set: String, snapshot: String)
    /// More than one of the traces given holds the snapshot's trace position.
    case positionHeldTwice(traces: [String], snapshot: String, place: String)
    /// A trace could not be read while looking for the snapshot's position.
    case trace(TraceError)

    /// What went wrong, naming the set, snapshot or traces.
    public var description: String {
        switch self {
        case .noSnapshot(let set, let snapshot):
            "set '\(TerminalText.escaped(set))' has no snapshot named '\(TerminalText.escaped(snapshot))'"
        case .notASimulation(let set, let snapshot):
            "snapshot '\(snapshot)' of set '\(set)' was not taken by `mmu simulate`, so it cannot be resumed"
        case .noKeptCounters(let set, let snapshot):
            "snapshot '\(snapshot)' of set '\(set)' kept no page counters (it was taken by an older `mmu simulate`), so a resume from it would count wrong; simulate again from the start"
        case .positionHeldTwice(let traces, let snapshot, let place):
            "traces \(traces.map(TraceError.escaped).joined(separator: " and ")) both hold the position of snapshot '\(snapshot)' (\(place)): give the trace once"
        case .trace(let error):
            "\(error)"
        }
    }
}
