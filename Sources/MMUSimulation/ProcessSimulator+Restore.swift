import MMUCore

extension ProcessSimulator {
    /// Rebuilds a simulator from its translation sets as of a snapshot, to continue with more trace.
    ///
    /// Areas come from each set's ``MMUCore/TranslationSet/areas``, pages from its entries, and
    /// the frame allocator from the frames in use (claimed in a fresh buddy allocator, with the
    /// 2 MiB reservations those pages imply). The `checkpoint` saved with the snapshot gives
    /// what sets cannot: which processes share which set, and the program breaks. Without it,
    /// each set `NAME-PID` is taken as process PID's, and its break as the end of its `[heap]`.
    ///
    /// - Parameters:
    ///   - sets: Every set of the simulation, by name, as of the snapshot.
    /// - Throws: ``SimulationError/invalidRestore(set:reason:)`` when a set cannot come from this
    ///   simulation (entries outside areas or unlike them, sizes other than 4 KiB and 2 MiB,
    ///   frames outside memory or used twice, a checkpoint of other options);
    ///   ``SimulationError/invalidOptions(_:)`` as ``init(options:commit:snapshot:)``.
    /// - Complexity: O(*n* log *n*) in the entries of all sets.
    public init(
        restoring sets: [String: TranslationSet], checkpoint: SimulationCheckpoint?, options: SimulationOptions,
        commit: @escaping CommitHandler, snapshot: @escaping SnapshotHandler
    ) throws(SimulationError) {
        try self.init(options: options, commit: commit, snapshot: snapshot)
        if let checkpoint {
            guard checkpoint.pagePolicy == options.pagePolicy, checkpoint.firstFrame == frameAllocator.firstFrame,
                checkpoint.frameCount == frameAllocator.frameCount
            else {
                throw .invalidRestore(set: "", reason: "the checkpoint was taken with another page policy or physical memory")
            }
        }
        var pool = machine.pool
        for (name, set) in sets.sorted(by: { $0.key < $1.key }) {
            spaces[name] = try Self.restoredSpace(name, from: set, pool: &pool)
        }
        if let frame = pool.claimRestoredFrames() {
            throw .invalidRestore(set: "", reason: "frame 0x\(String(frame, radix: 16)) is outside memory or used twice")
        }
        machine.pool = pool
        isRestored = true
        if let checkpoint {
            machine.report.events = checkpoint.eventsApplied
            machine.report.transactions = checkpoint.transactions
            firstSetName = checkpoint.firstSetName
            for saved in checkpoint.spaces where spaces[saved.setName] != nil {
                spaces[saved.setName]?.heapStart = saved.heapStart
                spaces[saved.setName]?.programBreak = saved.programBreak
                for member in saved.members {
                    owners[member] = saved.setName
                    spaces[saved.setName]?.members.insert(member)
                }
            }
        } else {
            for name in sets.keys.sorted() {
                guard let process = options.processID(forSetName: name) else { continue }
                owners[process] = name
                spaces[name]?.members.insert(process)
                if let heap = spaces[name]?.areas.areas.filter({ $0.kind == .heap }), let first = heap.first, let last = heap.last {
                    spaces[name]?.heapStart = first.range.lowerPage
                    spaces[name]?.programBreak = last.range.upperPage << PageSize.minimumShift
                }
            }
            firstSetName = owners.sorted { ($0.key ?? -1) < ($1.key ?? -1) }.first?.value
        }
    }

    /// One space rebuilt from its set, its frames recorded in `pool` (not yet claimed).
    private static func restoredSpace(_ name: String, from set: TranslationSet, pool: inout FramePool) throws(SimulationError)
        -> AddressSpace
    {
        var space = AddressSpace(setName: name, areas: AreaMap(set.areas))
        for (previous, next) in zip(space.areas.areas, space.areas.areas.dropFirst()) where previous.range.overlaps(next.range) {
            throw .invalidRestore(set: name, reason: "areas \(previous.range) and \(next.range) overlap")
        }
        for entry in set.entries where entry.size == .size2MiB {
            let region = ResidentPages.region(of: entry.pageNumber)
            try check(entry, in: space.areas, set: name)
            guard pool.allocator.contains(entry.frameNumber), !pool.mappedBlocks.contains(entry.frameNumber) else {
                throw .invalidRestore(set: name, reason: "frame of \(entry) is outside memory or used twice")
            }
            pool.mapBlock(entry.frameNumber)
            space.pages.insertLarge(region: region, block: entry.frameNumber)
        }
        for entry in set.entries where entry.size == .size4KiB {
            guard let area = try check(entry, in: space.areas, set: name) else { continue }
            guard pool.allocator.contains(entry.frameNumber), !pool.isMapped(entry.frameNumber) else {
                throw .invalidRestore(set: name, reason: "frame of \(entry) is outside memory or used twice")
            }
            let reserves = AddressSpace.isHugePageEligible(area) && FramePool.reserves(page: entry.pageNumber, frame: entry.frameNumber)
            pool.restore(frame: entry.frameNumber, reserving: reserves)
            space.pages.insertSmall(entry.pageNumber, frame: entry.frameNumber, reserves: reserves)
        }
        return space
    }

    /// Checks that an entry has a size the simulation makes and lies in one area with its protection.
    @discardableResult
    private static func check(_ entry: MMUEntry, in areas: AreaMap, set: String) throws(SimulationError) -> MemoryArea? {
        guard entry.size == .size4KiB || entry.size == .size2MiB else {
            throw .invalidRestore(set: set, reason: "entry \(entry) has a size the simulation never maps")
        }
        guard let area = areas.area(containing: entry.pageNumber), area.range.contains(entry.range),
            area.protection == entry.protection
        else {
            throw .invalidRestore(set: set, reason: "entry \(entry) does not lie in one area with its protection")
        }
        return area
    }
}
