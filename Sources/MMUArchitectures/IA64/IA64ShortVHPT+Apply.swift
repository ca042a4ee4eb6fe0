import MMUCore

extension IA64ShortVHPT {
    /// Applies a transaction's changes: clears and writes PTEs, freeing linear-table pages that
    /// become empty and backing new ones. A region whose page size must change while it keeps
    /// other entries is rebuilt with the whole table (O(*n*)); without the split option that is
    /// a region-rule error instead.
    ///
    /// - Returns: A rebuilt table to use instead, or `nil` when this one was changed in place.
    func apply(removing: [MMUEntry], adding: [MMUEntry]) throws(PageTableError) -> IA64ShortVHPT? {
        let removals = try format.preparedRemovals(removing, options: BuildOptions(splitsUnsupportedPages: true))
        var remaining = regionCounts
        var cleared = Set<UInt64>()
        for entry in removals {
            let region = Int(entry.virtualAddress.rawValue >> 61)
            let pte = Self.pteAddress(entry, shifts: regionShifts)
            guard entry.size.shift == regionShifts[region], let slot = pages[pte >> 12],
                store[slot, Int(pte & 0xFFF) >> 3] == IA64PageTableEntry(entry).rawValue, cleared.insert(pte).inserted
            else { throw .notInTable(entry) }
            remaining[region] -= 1
        }
        let sortedAdditions = adding.sorted { $0.virtualAddress < $1.virtualAddress }
        let change = try SizeDomainChange(
            adding: sortedAdditions, to: Self.sizes(regionShifts), remaining: Self.counts(remaining), format: format, options: options)
        var shifts = regionShifts
        for (region, size) in change.sizes { shifts[Int(region)] = size.shift }
        let additions = change.additions, needsRebuild = change.needsRebuild
        if needsRebuild {
            let combined = try combinedEntries(removing: removals, adding: sortedAdditions)
            return try Self.build(format: format, entries: try format.prepared(combined, options: options), options: options)
        }
        var written = Set<UInt64>()
        for entry in additions {
            let pte = Self.pteAddress(entry, shifts: shifts)
            let occupied = pages[pte >> 12].map { store[$0, Int(pte & 0xFFF) >> 3] != 0 } ?? false
            guard (!occupied || cleared.contains(pte)), written.insert(pte).inserted else { throw .overlapsTable(entry) }
        }
        var occupiedFrames = try FrameOccupancy.current(occupancy, walking: entries)
        occupancy = nil  // so that changing `occupiedFrames` does not copy it
        for entry in removals { occupiedFrames.remove(entry) }
        for entry in additions { occupiedFrames.insert(entry) }
        // An upper bound: pages emptied by the removals may be needed again.
        let newPages = Set(additions.map { Self.pteAddress($0, shifts: shifts) >> 12 })
        let colliding = store.liveSlots.filter { occupiedFrames.mappingEnd(covering: $0.frame) != nil }.map(\.slot)
        var frames = occupiedFrames.lowestFreeFrames(
            count: newPages.count + colliding.count, avoiding: store, limit: options.tablePlacementLimit >> 12)
        guard frames.count == newPages.count + colliding.count else {
            occupancy = occupiedFrames.undoing(removals: removals, additions: additions)
            throw .noFreePhysicalRange(pages: newPages.count + colliding.count, below: PhysicalAddress(options.tablePlacementLimit))
        }
        frames.reverse()
        for entry in removals {
            let pte = Self.pteAddress(entry, shifts: regionShifts)
            guard let slot = pages[pte >> 12] else { continue }
            store[slot, Int(pte & 0xFFF) >> 3] = 0
            entryCount -= 1
            regionCounts[Int(entry.virtualAddress.rawValue >> 61)] -= 1
            if (0..<FrameStore.wordsPerPage).allSatisfy({ store[slot, $0] == 0 }) {
                store.free(slot: slot)
                pages[pte >> 12] = nil
            }
        }
        regionShifts = shifts
        for slot in colliding where store.isLive(slot) {
            if let frame = frames.popLast() { store.move(slot: slot, to: frame) }
        }
        for entry in additions {
            let pte = Self.pteAddress(entry, shifts: shifts)
            let slot: Int
            if let existing = pages[pte >> 12] {
                slot = existing
            } else {
                guard let frame = frames.popLast() else { preconditionFailure("frame reserve exhausted") }
                slot = store.allocate(frame: frame)
                pages[pte >> 12] = slot
            }
            store[slot, Int(pte & 0xFFF) >> 3] = IA64PageTableEntry(entry).rawValue
            entryCount += 1
            regionCounts[Int(entry.virtualAddress.rawValue >> 61)] += 1
        }
        occupancy = occupiedFrames
        return nil
    }

    /// The page size of each region, by region number.
    private static func sizes(_ shifts: [UInt8]) -> [UInt64: PageSize] {
        var sizes: [UInt64: PageSize] = [:]
        for (region, shift) in shifts.enumerated() { sizes[UInt64(region)] = PageSize(shift: Int(shift)) }
        return sizes
    }

    /// The entry count of each region, by region number.
    private static func counts(_ counts: [Int]) -> [UInt64: Int] {
        Dictionary(uniqueKeysWithValues: counts.enumerated().map { (UInt64($0.offset), $0.element) })
    }
}
