import MMUCore
import MMUTraces

/// Replays traces of real programs as simulated processes whose address spaces are translation
/// sets: each system call is one mmu transaction, each batch of memory accesses another.
///
/// The simulator does not own the sets. It hands every transaction to a *commit handler*, which
/// opens one on the named set (creating the set if needed) and runs the body in it: on
/// in-memory ``MMUCore/TranslationSet``s (see ``InMemorySets``) or in the SQLite store, where the
/// body runs unchanged inside `store.update(set:label:)`. Snapshots are requested through a
/// second handler.
///
/// ```swift
/// var sets = InMemorySets()
/// var simulator = try ProcessSimulator(
///     options: SimulationOptions(pagePolicy: .transparentHugePages),
///     commit: { name, label, body in try sets.commit(setName: name, label: label, body) },
///     snapshot: { sets.snapshot($0) })
/// let report = try simulator.run(try TraceReader(contentsOf: "ls.strace"))
/// ```
///
/// What it models (see the MMUSimulation article "Simulated processes" for the details):
/// memory areas from `mmap`/`munmap`/`mprotect`/`brk`/`mremap`, demand paging on first touch,
/// invalid accesses as counted faults, a buddy allocator of frames with 2 MiB reservations,
/// transparent huge page promotion and demotion, `fork` (copied frames, not copy-on-write),
/// `execve`, and threads sharing an address space.
///
/// If anything throws, the simulator stops: its state may be ahead of the last commit. Restore
/// it from a snapshot with ``init(restoring:checkpoint:options:commit:snapshot:)``.
public struct ProcessSimulator {
    /// Opens a transaction on the named set (creating the set if it does not exist), runs
    /// `body` in it exactly once and commits; throwing discards it. The body changes the
    /// simulator's own state too, so a handler must not run it again (no retry loop around it):
    /// after any error the simulator stops.
    public typealias CommitHandler = (
        _ setName: String, _ label: String, _ body: (TranslationSet.Transaction) throws -> Void
    ) throws -> Void
    /// Snapshots the named sets.
    public typealias SnapshotHandler = (_ request: SnapshotRequest) throws -> Void

    /// The options of the run.
    public var options: SimulationOptions { machine.options }
    /// What the simulation has done so far.
    public var report: SimulationReport {
        var report = machine.report
        report.residentPages = spaces.values.reduce(0) { $0 + $1.pages.pageCount }
        report.usedFrames = machine.pool.usedFrameCount
        report.setNames = setNames
        return report
    }
    /// The frame allocator, to inspect.
    public var frameAllocator: BuddyAllocator { machine.pool.allocator }
    /// Access events applied but not yet committed (they wait for their batch to fill, for a
    /// system call of their process, or for a snapshot).
    public var pendingAccesses: Int { spaces.values.reduce(0) { $0 + $1.batch.events } }
    /// The names of the sets the simulation has written, sorted.
    public var setNames: [String] { spaces.keys.sorted() }

    var machine: SimulatedMachine
    var spaces: [String: AddressSpace] = [:]
    /// The set each live process (or thread) uses.
    var owners: [Int32?: String] = [:]
    /// The set of the first process: the parent of processes that appear without a fork.
    var firstSetName: String?
    var transactionsSinceSnapshot = 0
    var stopped = false
    /// Whether the simulator was restored from sets: an event of no named process then has no
    /// set of its own, and is refused rather than silently start a new one.
    var isRestored = false
    /// The trace being read by ``run(_:progress:)``, whose position checkpoints record.
    var trace: TraceReader?
    /// Where in ``trace`` the last access applied from a chunk ends, while a chunk is applied:
    /// the reader has read further.
    var place: (line: Int, offset: UInt64)?
    let commitHandler: CommitHandler
    let snapshotHandler: SnapshotHandler

    /// Creates a simulator with no processes.
    ///
    /// - Throws: ``SimulationError/invalidOptions(_:)`` for a batch size or snapshot interval
    ///   below 1, or physical memory not in whole 4 MiB blocks.
    public init(options: SimulationOptions, commit: @escaping CommitHandler, snapshot: @escaping SnapshotHandler)
        throws(SimulationError)
    {
        guard options.accessesPerTransaction >= 1 else { throw .invalidOptions("accesses per transaction must be at least 1") }
        guard (options.snapshotInterval ?? 1) >= 1 else { throw .invalidOptions("the snapshot interval must be at least 1") }
        let block: UInt64 = 4 << 20
        guard options.physicalMemorySize > 0, options.physicalMemorySize % block == 0,
            options.physicalMemoryStart.rawValue % block == 0,
            options.physicalMemoryStart.rawValue.addingReportingOverflow(options.physicalMemorySize).overflow == false,
            (options.physicalMemoryStart.rawValue + options.physicalMemorySize) >> PageSize.minimumShift <= VirtualRange.pageLimit
        else {
            throw .invalidOptions("physical memory must start and end on 4 MiB boundaries below 2^64")
        }
        let allocator = BuddyAllocator(
            firstFrame: options.physicalMemoryStart.frameNumber,
            frameCount: options.physicalMemorySize >> PageSize.minimumShift)
        self.machine = SimulatedMachine(options: options, pool: FramePool(allocator: allocator))
        self.commitHandler = commit
        self.snapshotHandler = snapshot
    }

    /// Applies one event.
    ///
    /// - Throws: ``SimulationError``; the simulator then stops.
    /// - Complexity: O(1) amortized for an access; a system call costs in the number of pages and
    ///   areas it touches.
    public mutating func apply(_ event: TraceEvent) throws(SimulationError) {
        guard !stopped else { throw .stopped }
        do {
            try dispatch(event)
            machine.report.events += 1
            if let interval = options.snapshotInterval, transactionsSinceSnapshot >= interval {
                try requestSnapshot(label: "tx \(machine.report.transactions)")
            }
        } catch {
            stopped = true
            throw error
        }
    }

    /// Commits every pending batch of accesses and requests the final snapshot of every set.
    ///
    /// - Returns: The report of the run.
    /// - Throws: ``SimulationError``; the simulator then stops.
    public mutating func finish(label: String = "final") throws(SimulationError) -> SimulationReport {
        guard !stopped else { throw .stopped }
        do {
            try requestSnapshot(label: label)
        } catch {
            stopped = true
            throw error
        }
        return report
    }

    /// Replays a whole trace, then ``finish(label:)``.
    ///
    /// - Parameters:
    ///   - progress: Called about twice a second while the run lasts.
    /// - Returns: The report of the run.
    /// - Throws: ``SimulationError``, ``SimulationError/trace(_:)`` for a malformed trace.
    /// - Complexity: O(*n*) in the trace's events, plus the cost of each transaction.
    public mutating func run(_ reader: TraceReader, progress: ((SimulationProgress) -> Void)? = nil) throws(SimulationError)
        -> SimulationReport
    {
        try run([reader], progress: progress)
    }

    /// Replays several traces one after the other as one run (say the system calls of a
    /// program recorded by strace, then its accesses recorded by lackey), then
    /// ``finish(label:)``.
    ///
    /// - Parameters:
    ///   - progress: Called about twice a second while the run lasts; lines count across traces.
    /// - Returns: The report of the run.
    /// - Throws: ``SimulationError``, ``SimulationError/trace(_:)`` for a malformed trace.
    /// - Complexity: O(*n*) in the traces' events, plus the cost of each transaction.
    public mutating func run(_ readers: [TraceReader], progress: ((SimulationProgress) -> Void)? = nil)
        throws(SimulationError) -> SimulationReport
    {
        defer { trace = nil }
        let clock = ContinuousClock()
        let start = clock.now
        var lastReport = start
        var count = 0
        var linesBefore = 0
        var chunk: [TracedAccess] = []
        for reader in readers {
            trace = reader
            while true {
                // A lackey trace is read and applied in chunks of plain accesses, any other event by event.
                let event: TraceEvent?
                do {
                    if reader.format == .lackey {
                        try reader.readAccesses(into: &chunk, limit: Self.chunkSize)
                        event = nil
                    } else {
                        event = try reader.next()
                    }
                } catch {
                    stopped = true
                    throw .trace(error)
                }
                let applied = event == nil ? chunk.count : 1
                guard applied > 0 else { break }
                if let event { try apply(event) } else { try apply(chunk) }
                count += applied
                if let progress, count & 0x3FFF < applied, clock.now - lastReport >= .milliseconds(500) {
                    lastReport = clock.now
                    progress(progressReport(lines: linesBefore + reader.lineNumber, seconds: (lastReport - start).seconds))
                }
            }
            linesBefore += reader.lineNumber
        }
        let result = try finish()
        progress?(progressReport(lines: linesBefore, seconds: (clock.now - start).seconds))
        return result
    }

    private func progressReport(lines: Int, seconds: Double) -> SimulationProgress {
        SimulationProgress(
            lines: lines, events: machine.report.events, transactions: machine.report.transactions,
            residentPages: spaces.values.reduce(0) { $0 + $1.pages.pageCount }, seconds: seconds)
    }

    /// What to store beside a snapshot to restore the simulation exactly.
    public var checkpoint: SimulationCheckpoint {
        SimulationCheckpoint(
            pagePolicy: options.pagePolicy, firstFrame: machine.pool.allocator.firstFrame,
            frameCount: machine.pool.allocator.frameCount, eventsApplied: machine.report.events,
            transactions: machine.report.transactions, firstSetName: firstSetName,
            spaces: spaces.values.sorted { $0.setName < $1.setName }.map { space in
                SimulationCheckpoint.Space(
                    setName: space.setName, members: space.members.sorted { ($0 ?? -1) < ($1 ?? -1) },
                    heapStart: space.heapStart, programBreak: space.programBreak)
            }, position: trace.flatMap { reader in place.map { reader.position(afterLine: $0.line, offset: $0.offset) } ?? reader.position })
    }

    // MARK: Transactions

    /// Runs `body` in one transaction on the named set, then promotes what became promotable.
    mutating func transact(
        in name: String, label: String,
        _ body: (inout SimulatedMachine, inout AddressSpace, TranslationSet.Transaction) throws -> Void
    ) throws(SimulationError) {
        var space = spaces.removeValue(forKey: name) ?? AddressSpace(setName: name)
        defer {
            space.batch.forgetPlaces()
            spaces[name] = space
        }
        let handler = commitHandler
        do {
            try handler(name, label) { tx in
                try body(&machine, &space, tx)
                try machine.promoteDirtyRegions(space: &space, tx)
            }
        } catch let error as SimulationError {
            throw error
        } catch {
            throw .transactionFailed(set: name, label: label, lineNumber: machine.line, message: "\(error)")
        }
        machine.report.transactions += 1
        transactionsSinceSnapshot += 1
    }

    /// Commits the pending accesses of the named set.
    mutating func flush(_ name: String) throws(SimulationError) {
        guard let batch = spaces[name]?.batch, !batch.isEmpty else { return }
        let label = batch.firstLine == batch.lastLine
            ? "accesses line \(batch.firstLine)" : "accesses lines \(batch.firstLine)-\(batch.lastLine)"
        try transact(in: name, label: label) { machine, space, tx in
            space.batch = AccessBatch()
            try machine.commit(batch, tx)
        }
    }

    /// Commits every pending batch and asks for a snapshot of every set.
    mutating func requestSnapshot(label: String) throws(SimulationError) {
        for name in setNames { try flush(name) }
        transactionsSinceSnapshot = 0
        guard !spaces.isEmpty else { return }
        let request = SnapshotRequest(setNames: setNames, label: label, checkpoint: checkpoint)
        do {
            try snapshotHandler(request)
        } catch {
            throw .snapshotFailed(label: label, message: "\(error)")
        }
        machine.report.snapshots += 1
    }
}

@available(*, unavailable, message: "a simulator drives one run from one thread")
extension ProcessSimulator: Sendable {}
