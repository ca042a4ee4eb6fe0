import MMUCore
import MMUTraces

/// The shared state of a simulation beside its address spaces: physical memory, the counters,
/// and the operations that change pages and frames together with a transaction.
///
/// Every change to pages goes through here so that the simulation's copy of each set
/// (``ResidentPages``), the frame pool and the transaction stay in step.
struct SimulatedMachine: Sendable {
    /// The options of the run.
    let options: SimulationOptions
    /// Physical memory.
    var pool: FramePool
    /// The counters.
    var report = SimulationReport()
    /// The trace line being applied.
    var line = 0


    init(options: SimulationOptions, pool: FramePool) {
        self.options = options
        self.pool = pool
    }

    // MARK: Faults

    /// Maps a 4 KiB page of `area` on its first touch, placing its frame by the reservation
    /// rules of ``FramePool``.
    ///
    /// - Throws: ``SimulationError/outOfMemory(set:lineNumber:)`` when no frame is free.
    mutating func faultIn(_ page: UInt64, area: MemoryArea, space: inout AddressSpace) throws(SimulationError) -> MMUEntry {
        let region = ResidentPages.region(of: page)
        let eligible = AddressSpace.isHugePageEligible(area)
        let block = eligible ? space.pages.reservedBlock(ofRegion: region) : nil
        guard
            let (frame, reserves) = pool.frameForFault(
                page: page, eligible: eligible, regionBlock: block,
                regionFits: eligible && AddressSpace.regionFits(region, in: area))
        else { throw .outOfMemory(set: space.setName, lineNumber: line) }
        pool.map(frame, reserving: reserves)
        space.pages.insertSmall(page, frame: frame, reserves: reserves)
        space.dirtyRegions.insert(region)
        return MMUEntry(VirtualAddress(pageNumber: page), to: PhysicalAddress(frameNumber: frame), protection: area.protection)
    }

    /// Applies one memory access: checks it against the area, faults the page in if needed, and
    /// counts it in the batch.
    ///
    /// Rules (x86-64, where the recorded traces come from): a fetch needs execute, a load needs
    /// read or write (x86 cannot make a writable page unreadable), a store or modify needs write.
    ///
    /// A page already touched in the batch costs one lookup of its slot (none when the access
    /// before was to the same page): its area and mapping are known from its first touch.
    ///
    /// - Returns: The number of access events now waiting in the batch.
    @discardableResult
    mutating func touch(_ access: RecordedAccess, space: inout AddressSpace) throws(SimulationError) -> Int {
        if space.batch.events == 0 { space.batch.firstLine = line }
        space.batch.lastLine = line
        space.batch.events += 1
        let pages = access.pages
        var page = pages.lowerBound
        while true {
            try count(access.kind, atPage: page, space: &space)
            guard page < pages.upperBound else { break }
            page += 1
        }
        return space.batch.events
    }

    /// Counts an access of `kind` to one page in the batch of `space`, faulting the page in on
    /// its first valid access.
    private mutating func count(_ kind: RecordedAccess.Kind, atPage page: UInt64, space: inout AddressSpace) throws(SimulationError) {
        let slot = space.batch.slot(of: page)
        let place = space.batch.places[slot] ?? Self.place(of: page, slot: slot, space: &space)
        guard let protection = place.protection, Self.allows(protection, kind) else {
            space.batch.counts[slot].faults += 1
            report.invalidAccesses += 1
            return
        }
        if !place.isMapped, let area = Self.area(of: page, in: &space) {
            space.batch.newEntries.append(try faultIn(page, area: area, space: &space))
            space.batch.places[slot] = AccessBatch.Place(protection: protection, isMapped: true)
            space.batch.counts[slot].faults += 1
            report.demandFaults += 1
        }
        switch kind {
        case .modify:
            space.batch.counts[slot].reads += 1
            space.batch.counts[slot].writes += 1
        case .store: space.batch.counts[slot].writes += 1
        case .instruction, .load: space.batch.counts[slot].reads += 1
        }
    }

    /// Looks up what the batch of `space` keeps of `page` in `slot`: its area's protection and
    /// whether it is mapped.
    private static func place(of page: UInt64, slot: Int, space: inout AddressSpace) -> AccessBatch.Place {
        let place = AccessBatch.Place(protection: area(of: page, in: &space)?.protection, isMapped: space.pages.isMapped(page))
        space.batch.places[slot] = place
        return place
    }

    /// Whether an area's protection allows an access.
    static func allows(_ protection: Protection, _ kind: RecordedAccess.Kind) -> Bool {
        switch kind {
        case .instruction: protection.contains(.execute)
        case .load: !protection.isDisjoint(with: [.read, .write])
        case .store, .modify: protection.contains(.write)
        }
    }

    /// The area holding `page`, trying the last one hit first.
    private static func area(of page: UInt64, in space: inout AddressSpace) -> MemoryArea? {
        if let last = space.lastArea, last < space.areas.areas.count, space.areas.areas[last].range.pages.contains(page) {
            return space.areas.areas[last]
        }
        guard let index = space.areas.index(containing: page) else { return nil }
        space.lastArea = index
        return space.areas.areas[index]
    }

    /// Commits the batch of accesses: maps the pages faulted in, then records access and fault
    /// counts (the proposal's `mkcount`), one counter update per page.
    mutating func commit(_ batch: AccessBatch, _ tx: TranslationSet.Transaction) throws {
        try tx.map(contentsOf: batch.newEntries)
        try tx.recordActivity(inPageOrder: batch.countsByPage)
    }

    // MARK: Unmapping, protecting, resizing

    /// Demotes every 2 MiB page that `range` cuts (overlaps without covering).
    mutating func demoteLargePages(cutBy range: VirtualRange, space: inout AddressSpace, _ tx: TranslationSet.Transaction) throws {
        for region in space.pages.largeRegions(overlapping: range) {
            let first = region * FramePool.blockPages
            if range.lowerPage <= first, first + FramePool.blockPages <= range.upperPage { continue }
            try demote(region, space: &space, tx)
        }
    }

    /// Demotes the 2 MiB page of a region into 512 pages on the same frames (`resize` to 4 KiB).
    mutating func demote(_ region: UInt64, space: inout AddressSpace, _ tx: TranslationSet.Transaction) throws {
        guard let block = space.pages.large[region] else { return }
        let first = region * FramePool.blockPages
        try tx.resize(VirtualAddress(pageNumber: first), to: .size4KiB)
        let reserving = space.areas.area(containing: first).map(AddressSpace.isHugePageEligible) ?? false
        space.pages.removeLarge(region: region)
        pool.demote(block, reserving: reserving)
        for offset in 0..<FramePool.blockPages {
            space.pages.insertSmall(first + offset, frame: block + offset, reserves: reserving)
        }
        report.demotions += 1
    }

    /// Unmaps every page in `range` (demoting the 2 MiB pages it cuts) and frees their frames.
    mutating func unmapPages(in range: VirtualRange, space: inout AddressSpace, _ tx: TranslationSet.Transaction) throws {
        try demoteLargePages(cutBy: range, space: &space, tx)
        let small = space.pages.smallPages(in: range)
        let large = space.pages.largeRegions(overlapping: range)
        guard !small.isEmpty || !large.isEmpty else { return }
        try tx.clear(range, largePages: .reject)
        for page in small {
            if let removed = space.pages.removeSmall(page) { pool.unmap(removed.frame, reserving: removed.reserves) }
        }
        for region in large {
            guard let block = space.pages.large[region] else { continue }
            space.pages.removeLarge(region: region)
            pool.unmapBlock(block)
        }
    }

    /// Gives every mapped page in `range` a new protection (demoting the 2 MiB pages it cuts),
    /// one `protect` per run of mapped pages.
    mutating func protectPages(
        in range: VirtualRange, _ protection: Protection, space: inout AddressSpace, _ tx: TranslationSet.Transaction
    ) throws {
        try demoteLargePages(cutBy: range, space: &space, tx)
        var runs: [Range<UInt64>] = []
        let pieces = space.pages.smallPages(in: range).map { $0..<($0 + 1) }
            + space.pages.largeRegions(overlapping: range).map {
                ($0 * FramePool.blockPages)..<(($0 + 1) * FramePool.blockPages)
            }
        for piece in pieces.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = runs.last, last.upperBound == piece.lowerBound {
                runs[runs.count - 1] = last.lowerBound..<piece.upperBound
            } else {
                runs.append(piece)
            }
        }
        for run in runs { try tx.protect(VirtualRange(pages: run), protection, largePages: .reject) }
    }

    /// Promotes the changed regions that can be (``PagePolicy/transparentHugePages`` only): a
    /// region inside one eligible area, with all 512 pages mapped, each at its own offset of one
    /// 2 MiB-aligned block.
    mutating func promoteDirtyRegions(space: inout AddressSpace, _ tx: TranslationSet.Transaction) throws {
        defer { space.dirtyRegions = [] }
        guard options.pagePolicy == .transparentHugePages else { return }
        for region in space.dirtyRegions.sorted() {
            guard space.pages.large[region] == nil, space.pages.population[region] == Int(FramePool.blockPages) else { continue }
            let first = region * FramePool.blockPages
            guard let area = space.areas.area(containing: first), AddressSpace.regionFits(region, in: area),
                AddressSpace.isHugePageEligible(area)
            else { continue }
            guard let base = space.pages.small[first]?.frame, base % FramePool.blockPages == 0,
                (0..<FramePool.blockPages).allSatisfy({ space.pages.small[first + $0]?.frame == base + $0 })
            else {
                report.promotionsMissed += 1
                continue
            }
            try tx.resize(VirtualAddress(pageNumber: first), to: .size2MiB)
            for offset in 0..<FramePool.blockPages { space.pages.removeSmall(first + offset) }
            space.pages.insertLarge(region: region, block: base)
            pool.promote(base, reserving: true)
            report.promotions += 1
        }
    }

    /// Unmaps everything and removes every area. A set the simulation has not written yet
    /// (`isNew`) is emptied whatever it holds: a store may keep one from an earlier run.
    mutating func clearAll(space: inout AddressSpace, isNew: Bool, _ tx: TranslationSet.Transaction) throws {
        try unmapPages(in: VirtualRange.everything, space: &space, tx)
        if isNew { try tx.clear(VirtualRange.everything, largePages: .demote, keepingGlobal: true) }
        if isNew || !space.areas.areas.isEmpty { try tx.replaceAreas(in: VirtualRange.everything, with: []) }
        space.areas = AreaMap()
        space.lastArea = nil
    }

    /// Writes the change of areas from `old` to `new` around the `changed` ranges: one
    /// `replaceAreas` over the span of what differs, so untouched areas keep their versions.
    func replaceAreas(changed: [VirtualRange], from old: AreaMap, to new: AreaMap, _ tx: TranslationSet.Transaction) throws {
        let widened = changed.map {
            VirtualRange(pages: ($0.lowerPage == 0 ? 0 : $0.lowerPage - 1)..<min($0.upperPage + 1, VirtualRange.pageLimit))
        }
        for range in widened.coalesced() {
            let before = old.areas(overlapping: range), after = new.areas(overlapping: range)
            let differing = before.filter { !after.contains($0) } + after.filter { !before.contains($0) }
            guard let lower = differing.map(\.range.lowerPage).min(), let upper = differing.map(\.range.upperPage).max()
            else { continue }
            let span = VirtualRange(pages: lower..<upper)
            try tx.replaceAreas(in: span, with: Array(new.areas(overlapping: span)))
        }
    }

    /// Notes a call that the simulation could only partly model.
    mutating func noteUnknownRegion() {
        report.unknownRegionCalls += 1
        report.noteUnmodelled(line: line)
    }

    /// Notes a call whose recorded result contradicts the simulated state.
    mutating func noteInconsistent() {
        report.inconsistentCalls += 1
        report.noteUnmodelled(line: line)
    }
}
