import MMUTraces
/// What a simulation needs beyond its translation sets to be restored exactly: which process
/// uses which set, and each program break.
///
/// Everything else (areas, pages, the frame allocator, the 2 MiB reservations) is rebuilt from
/// the sets themselves. Without a checkpoint, a restore takes each process from its set's name,
/// the break from the `[heap]` area, and loses what those cannot tell: threads sharing a set,
/// and the heap start of a process whose heap is empty.
public struct SimulationCheckpoint: Hashable, Sendable, Codable {
    /// The page policy of the run.
    public var pagePolicy: PagePolicy
    /// The first physical frame number.
    public var firstFrame: UInt64
    /// The number of physical frames.
    public var frameCount: UInt64
    /// Events applied when the checkpoint was taken.
    public var eventsApplied: Int
    /// Transactions committed when the checkpoint was taken.
    public var transactions: Int
    /// The set of the first process (the parent of forks of unknown pids).
    public var firstSetName: String?
    /// Per set: the processes using it and its break.
    public var spaces: [Space]
    /// Where in its traces the run was, when ``ProcessSimulator/run(_:progress:)`` read them
    /// and the trace can be read on from there (see ``TraceReader/position``).
    public var position: TracePosition?

    /// One address space's state beyond its set.
    public struct Space: Hashable, Sendable, Codable {
        /// The set's name.
        public var setName: String
        /// The live processes and threads using it (`nil`: the initial process of a trace
        /// without pids).
        public var members: [Int32?]
        /// The first page number of the heap, if known.
        public var heapStart: UInt64?
        /// The program break, if known.
        public var programBreak: UInt64?
    }
}
