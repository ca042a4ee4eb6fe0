import MMUCore

/// Translation sets and snapshots held in memory: the target of a simulation run without a
/// store (tests, benchmarks), with the handlers a ``ProcessSimulator`` takes.
public struct InMemorySets: Sendable {
    /// A snapshot of every set at one point of a run.
    public struct Snapshot: Sendable {
        /// The label.
        public var label: String
        /// The sets, by name.
        public var sets: [String: TranslationSet]
        /// The checkpoint to restore from it.
        public var checkpoint: SimulationCheckpoint
    }

    /// The sets, by name.
    public var sets: [String: TranslationSet]
    /// The snapshots taken, in order.
    public var snapshots: [Snapshot] = []
    /// The architecture new sets declare.
    public var architecture: Architecture?
    /// The labels of the transactions committed, in order.
    public var labels: [String] = []

    /// Creates an empty collection, or one holding `sets` (to continue a restored run).
    public init(sets: [String: TranslationSet] = [:], architecture: Architecture? = nil) {
        self.sets = sets
        self.architecture = architecture
    }

    /// Runs `body` as a transaction on the named set, creating it if needed.
    ///
    /// - Throws: What `body` throws; the set is then unchanged.
    public mutating func commit(setName: String, label: String, _ body: (TranslationSet.Transaction) throws -> Void) throws {
        try sets[setName, default: TranslationSet(architecture: architecture)].update(body)
        labels.append(label)
    }

    /// Records a snapshot of the requested sets.
    public mutating func snapshot(_ request: SnapshotRequest) {
        snapshots.append(
            Snapshot(
                label: request.label, sets: sets.filter { request.setNames.contains($0.key) },
                checkpoint: request.checkpoint))
    }
}
