/// What a simulation did: transactions, faults, promotions, and what it could not model.
public struct SimulationReport: Hashable, Sendable, Codable {
    /// Events applied.
    public var events = 0
    /// Transactions committed.
    public var transactions = 0
    /// Snapshot requests made (one per set each time).
    public var snapshots = 0
    /// Pages mapped on first touch.
    public var demandFaults = 0
    /// Accesses outside every area or against an area's protection: counted faults that map nothing.
    public var invalidAccesses = 0
    /// Pages mapped by `MAP_POPULATE`.
    public var populatedPages = 0
    /// 2 MiB promotions (thp only).
    public var promotions = 0
    /// Regions that were full and eligible but whose frames were not contiguous, so not promoted.
    public var promotionsMissed = 0
    /// 2 MiB pages demoted because a call cut them.
    public var demotions = 0
    /// Processes created by a fork event.
    public var forks = 0
    /// Processes created because an unknown pid appeared (taken as forks of the first process).
    public var implicitForks = 0
    /// Threads and `vfork` children that joined an address space.
    public var sharedForks = 0
    /// Successful `execve` calls.
    public var execs = 0
    /// Processes and threads that ended.
    public var exits = 0
    /// Calls on ranges no known area covers, which the kernel must have mapped itself (the
    /// program and interpreter that `execve` maps, the stack, the vDSO): applied to what is known.
    public var unknownRegionCalls = 0
    /// Calls whose recorded result contradicts the simulated state (a `brk` growing into an
    /// area, an unaligned result): skipped.
    public var inconsistentCalls = 0
    /// Calls without a recorded result that the simulation would fail (no room for a mapping).
    public var failedPlacements = 0
    /// The line of the first unknown-region, inconsistent or failed call, to look at.
    public var firstUnmodelledLine: Int?
    /// 4 KiB pages mapped at the end (a 2 MiB page counts 512).
    public var residentPages = 0
    /// Frames used at the end (mapped, or held by a 2 MiB reservation).
    public var usedFrames: UInt64 = 0
    /// The translation sets the simulation wrote, sorted.
    public var setNames: [String] = []

    /// Creates zero counts.
    public init() {}

    mutating func noteUnmodelled(line: Int) {
        if firstUnmodelledLine == nil { firstUnmodelledLine = line }
    }
}
