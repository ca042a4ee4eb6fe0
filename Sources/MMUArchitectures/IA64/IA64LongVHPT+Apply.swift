import MMUCore

extension IA64LongVHPT {
    /// Applies a transaction's changes.
    ///
    /// Incremental (unlink and insert records, overflow records from a free list or new pages)
    /// unless the change needs a different table: a region gaining a page smaller than its
    /// preferred size while keeping other entries (every hpn of the region changes), a load
    /// factor above 1, or an added frame landing on a table page. Then the table is rebuilt
    /// from its own walk plus the change, which is O(*n*).
    ///
    /// - Returns: A rebuilt table to use instead, or `nil` when this one was changed in place.
    func apply(removing: [MMUEntry], adding: [MMUEntry]) throws(PageTableError) -> IA64LongVHPT? {
        let removals = try format.preparedRemovals(removing, options: options)
        let additions = try format.prepared(adding.sorted { $0.virtualAddress < $1.virtualAddress }, options: options)
        var removedRecords = Set<UInt64>()
        var remaining = regionCounts
        for entry in removals {
            let address = entry.virtualAddress.rawValue
            guard let found = lookup(address).found, found.size == entry.size,
                found.pte == IA64PageTableEntry(entry).rawValue, removedRecords.insert(found.address).inserted
            else { throw .notInTable(entry) }
            remaining[Int(address >> 61)] -= 1
        }
        for (previous, entry) in zip(additions, additions.dropFirst()) where previous.range.overlaps(entry.range) {
            throw .overlapsTable(entry)
        }
        var shifts = regionShifts
        var needsRebuild = entryCount - removals.count + additions.count > slotCount
        for entry in additions {
            let region = Int(entry.virtualAddress.rawValue >> 61)
            if entry.size.shift < shifts[region] {
                if remaining[region] > 0 { needsRebuild = true } else { shifts[region] = entry.size.shift }
            }
        }
        let tableEnd = tableBase + UInt64(tablePages) << 12
        for entry in additions {
            let start = entry.physicalAddress.rawValue, end = start + entry.size.byteCount
            if start < tableEnd && end > tableBase { needsRebuild = true }
            if entry.size.pageCount <= 512 {
                for frame in entry.frameNumber..<(entry.frameNumber + entry.size.pageCount) where store.slot(ofFrame: frame) != nil {
                    needsRebuild = true
                }
            } else if store.liveSlots.contains(where: { $0.frame >= entry.frameNumber && $0.frame < entry.frameNumber + entry.size.pageCount }) {
                needsRebuild = true
            }
        }
        if needsRebuild {
            return try rebuilt(removing: removals, adding: additions)
        }
        for entry in additions where !isFree(entry, removedRecords: removedRecords, shifts: shifts) {
            throw .overlapsTable(entry)
        }
        var occupied = try FrameOccupancy.current(occupancy, walking: entries)
        occupancy = nil  // so that changing `occupied` does not copy it
        for entry in removals { occupied.remove(entry) }
        for entry in additions { occupied.insert(entry) }
        let extraRecords = max(0, additions.count - freeRecords.count - removals.count)
        let pagesNeeded = (extraRecords + Self.recordsPerPage - 1) / Self.recordsPerPage
        let frames = occupied.lowestFreeFrames(count: pagesNeeded, avoiding: store, limit: options.tablePlacementLimit >> 12)
        guard frames.count == pagesNeeded else {
            occupancy = occupied.undoing(removals: removals, additions: additions)
            throw .noFreePhysicalRange(pages: pagesNeeded, below: PhysicalAddress(options.tablePlacementLimit))
        }
        for frame in frames.reversed() {
            _ = store.allocate(frame: frame)
            for index in (0..<Self.recordsPerPage).reversed() { freeRecords.append(frame << 12 + UInt64(index * 32)) }
        }
        for entry in removals { unlink(entry) }
        regionShifts = shifts
        for entry in additions { insert(entry) }
        occupancy = occupied
        return nil
    }

    /// Whether nothing but removed records maps any page of `entry`'s range.
    private func isFree(_ entry: MMUEntry, removedRecords: Set<UInt64>, shifts: [UInt8]) -> Bool {
        let start = entry.virtualAddress.rawValue
        let step = UInt64(1) << UInt64(shifts[Int(start >> 61)])
        var address = start
        while address < start &+ entry.size.byteCount && address >= start {
            if let found = lookup(address).found, !removedRecords.contains(found.address) { return false }
            address &+= step
        }
        return true
    }

    /// The whole table built again from its entries and the change.
    private func rebuilt(removing removals: [MMUEntry], adding additions: [MMUEntry]) throws(PageTableError) -> IA64LongVHPT {
        try Self.build(format: format, entries: try combinedEntries(removing: removals, adding: additions), options: options)
    }

    /// Removes a stored entry's record from its chain.
    private func unlink(_ entry: MMUEntry) {
        let (index, tag) = slotAndTag(entry)
        let head = slotAddress(index)
        var previous: UInt64 = 0
        var current: UInt64? = head
        while let record = current {
            if recordWord(record, 2) == tag, let itir = recordWord(record, 1), itir >> 2 & 0x3F == UInt64(entry.size.shift) {
                let next = recordWord(record, 3) ?? 0
                if record == head {
                    if next != 0 {
                        setRecord(head, (recordWord(next, 0) ?? 0, recordWord(next, 1) ?? 0, recordWord(next, 2) ?? 0, recordWord(next, 3) ?? 0))
                        release(next)
                    } else {
                        setRecord(head, (0, 0, Self.invalidTag, 0))
                    }
                } else {
                    setWord(previous, 3, next)
                    release(record)
                }
                entryCount -= 1
                regionCounts[Int(entry.virtualAddress.rawValue >> 61)] -= 1
                countSize(entry.size, region: Int(entry.virtualAddress.rawValue >> 61), -1)
                return
            }
            previous = record
            let next = recordWord(record, 3) ?? 0
            current = next == 0 ? nil : next
        }
    }

    private func release(_ record: UInt64) {
        setRecord(record, (0, 0, 0, 0))
        freeRecords.append(record)
    }

    /// Inserts an entry whose range is free.
    private func insert(_ entry: MMUEntry) {
        let (index, tag) = slotAndTag(entry)
        let head = slotAddress(index)
        if headWord(index, 2) & Self.invalidTag != 0 {
            setRecord(head, record(entry, tag: tag, next: 0))
        } else if let overflow = freeRecords.popLast() {
            setRecord(overflow, record(entry, tag: tag, next: headWord(index, 3)))
            setWord(head, 3, overflow)
        }
        entryCount += 1
        regionCounts[Int(entry.virtualAddress.rawValue >> 61)] += 1
        countSize(entry.size, region: Int(entry.virtualAddress.rawValue >> 61), 1)
    }
}
