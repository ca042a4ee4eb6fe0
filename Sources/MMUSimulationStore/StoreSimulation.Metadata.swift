import MMUCore
import MMUSimulation

extension StoreSimulation {
    /// What is saved with every snapshot of a simulation, to resume from it exactly.
    public struct Metadata: Codable, Sendable {
        /// The options' base name, page policy, batch size, snapshot interval and memory.
        public var name: String
        public var pagePolicy: PagePolicy
        public var accessesPerTransaction: Int
        public var snapshotInterval: Int?
        public var physicalMemoryStart: PhysicalAddress
        public var physicalMemorySize: UInt64
        public var mmapBase: VirtualAddress
        /// The simulator's own state at the snapshot.
        public var checkpoint: SimulationCheckpoint

        /// The metadata of a snapshot of a run with `options` at `checkpoint`.
        public init(_ options: SimulationOptions, _ checkpoint: SimulationCheckpoint) {
            name = options.name
            pagePolicy = options.pagePolicy
            accessesPerTransaction = options.accessesPerTransaction
            snapshotInterval = options.snapshotInterval
            physicalMemoryStart = options.physicalMemoryStart
            physicalMemorySize = options.physicalMemorySize
            mmapBase = options.mmapBase
            self.checkpoint = checkpoint
        }

        /// The options of the run, to restore it with.
        public var options: SimulationOptions {
            SimulationOptions(
                name: name, pagePolicy: pagePolicy, accessesPerTransaction: accessesPerTransaction, snapshotInterval: snapshotInterval,
                physicalMemoryStart: physicalMemoryStart, physicalMemorySize: physicalMemorySize, mmapBase: mmapBase)
        }
    }
}
