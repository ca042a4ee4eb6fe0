/// A request to snapshot every set of the simulation at one point.
public struct SnapshotRequest: Hashable, Sendable {
    /// The sets to snapshot, sorted.
    public var setNames: [String]
    /// The snapshot label, such as `tx 1000` or `final`.
    public var label: String
    /// The state to store beside the snapshot to restore it exactly.
    public var checkpoint: SimulationCheckpoint
}
