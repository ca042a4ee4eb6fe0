import MMUCore

extension RadixPageTable {
    /// Where a leaf covering an address sits.
    struct LeafPosition {
        var slot: Int
        var index: Int
        var level: Int
        var virtualAddress: UInt64
    }

    /// The leaf whose page contains `address`, if any (walking the encoded tables).
    func leafPosition(containing address: UInt64) -> LeafPosition? {
        guard let root = codec.root(of: address) else { return nil }
        var slot = rootSlots[root]
        for level in layout.levels.indices {
            let info = layout.levels[level]
            let index = info.index(of: address)
            let raw = readEntry(slot, index)
            switch codec.decode(raw, level: level) {
            case .table(let frame, _):
                guard let next = store.slot(ofFrame: frame) else { return nil }
                slot = next
            case .leaf, .accessFlagClear:
                let size = info.leafSize?.byteCount ?? 1
                return LeafPosition(slot: slot, index: index, level: level, virtualAddress: address & ~(size - 1))
            case .invalid, .reserved:
                return nil
            }
        }
        return nil
    }

    /// Applies a transaction's changes in place (see ``HardwarePageTable/apply(removing:adding:)``).
    ///
    /// - Returns: `nil`: a radix table is always changed in place.
    func apply(removing: [MMUEntry], adding: [MMUEntry]) throws(PageTableError) -> RadixPageTable? {
        let removals = try format.preparedRemovals(removing, options: options)
        let additions = try format.prepared(adding.sorted { $0.virtualAddress < $1.virtualAddress }, options: options)

        // 1. Every removal must be encoded exactly as given.
        var removedStarts = Set<UInt64>()
        for entry in removals {
            let address = entry.virtualAddress.rawValue
            guard let position = leafPosition(containing: address), position.virtualAddress == address,
                layout.levels[position.level].leafSize == entry.size,
                readEntry(position.slot, position.index) == codec.leaf(entry, level: position.level)
            else { throw .notInTable(entry) }
            removedStarts.insert(address)
        }
        // 2. Additions may overlap neither each other nor what stays.
        for (previous, entry) in zip(additions, additions.dropFirst()) where previous.range.overlaps(entry.range) {
            throw .overlapsTable(entry)
        }
        for entry in additions where !isFree(entry, removedStarts: removedStarts) {
            throw .overlapsTable(entry)
        }
        // 3. Reserve the frames the change may need before touching anything.
        var occupied = try takeOccupancy()
        for entry in removals { occupied.remove(entry) }
        for entry in additions { occupied.insert(entry) }
        let collisions = collidingSlots(additions)
        let needed = additions.reduce(0) { $0 + leafLevel($1.size) } + collisions.count
        var reserve = occupied.lowestFreeFrames(count: needed, avoiding: store, limit: placementLimitFrame)
        guard reserve.count == needed else {
            occupancy = occupied.undoing(removals: removals, additions: additions)
            throw .noFreePhysicalRange(pages: needed, below: PhysicalAddress(placementLimitFrame << 12))
        }
        reserve.reverse()
        // 4. Change the table.
        for entry in removals { removeLeaf(entry) }
        for entry in additions { insertLeaf(entry, reserve: &reserve) }
        for slot in collisions where store.isLive(slot) {
            if let frame = reserve.popLast() { relocate(slot, to: frame) }
        }
        occupancy = occupied
        return nil
    }

    /// The frame occupancy, moved out of the table so that changing it does not copy it (the
    /// caller puts it back); computed from the entries on first use.
    private func takeOccupancy() throws(PageTableError) -> FrameOccupancy {
        let occupied = try FrameOccupancy.current(occupancy, walking: entries)
        occupancy = nil
        return occupied
    }

    /// The frame limit for table pages.
    var placementLimitFrame: UInt64 { min(options.tablePlacementLimit, codec.tableAddressLimit) >> 12 }

    /// Whether `entry`'s range holds nothing but entries about to be removed.
    private func isFree(_ entry: MMUEntry, removedStarts: Set<UInt64>) -> Bool {
        let address = entry.virtualAddress.rawValue
        guard let root = codec.root(of: address) else { return false }
        let depth = leafLevel(entry.size)
        var slot = rootSlots[root]
        for level in 0...depth {
            let index = layout.levels[level].index(of: address)
            let raw = readEntry(slot, index)
            switch codec.decode(raw, level: level) {
            case .invalid:
                return true
            case .reserved:
                return false
            case .leaf, .accessFlagClear:
                let size = layout.levels[level].leafSize?.byteCount ?? 1
                return removedStarts.contains(address & ~(size - 1))
            case .table(let frame, _):
                guard let next = store.slot(ofFrame: frame) else { return false }
                if level == depth { return subtreeIsRemoved(next, level: level + 1, removedStarts: removedStarts) }
                slot = next
            }
        }
        return true
    }

    /// Whether every leaf under the table in `slot` is about to be removed.
    private func subtreeIsRemoved(_ slot: Int, level: Int, removedStarts: Set<UInt64>) -> Bool {
        let info = layout.levels[level]
        let root = rootSlots.count > 1 ? rootIndex(ofSlot: slot) : 0
        for index in 0..<info.entryCount {
            let raw = readEntry(slot, index)
            switch codec.decode(raw, level: level) {
            case .invalid: continue
            case .reserved: return false
            case .leaf, .accessFlagClear:
                let address = codec.virtualAddress(root: root, indexBits: indexBits(slot, index: index))
                if !removedStarts.contains(address) { return false }
            case .table(let frame, _):
                guard let next = store.slot(ofFrame: frame),
                    subtreeIsRemoved(next, level: level + 1, removedStarts: removedStarts)
                else { return false }
            }
        }
        return true
    }

    /// The root a table belongs to.
    private func rootIndex(ofSlot slot: Int) -> Int {
        var current = slot
        while slotParent[current] >= 0 { current = Int(slotParent[current]) }
        return rootSlots.firstIndex(of: current) ?? 0
    }

    /// The virtual-address index bits of entry `index` of the table in `slot`.
    private func indexBits(_ slot: Int, index: Int) -> UInt64 {
        var bits = UInt64(index) << UInt64(layout.levels[Int(slotLevel[slot])].shift)
        var current = slot
        while slotParent[current] >= 0 {
            let parent = Int(slotParent[current])
            bits |= UInt64(slotParentIndex[current]) << UInt64(layout.levels[Int(slotLevel[parent])].shift)
            current = parent
        }
        return bits
    }

    /// Live table pages sitting on frames that `additions` map.
    private func collidingSlots(_ additions: [MMUEntry]) -> [Int] {
        var result = Set<Int>()
        for entry in additions {
            let first = entry.frameNumber, count = entry.size.pageCount
            if count <= 512 {
                for frame in first..<(first + count) {
                    if let slot = store.slot(ofFrame: frame) { result.insert(slot) }
                }
            } else {
                for slot in 0..<store.slotCount where store.isLive(slot) {
                    let frame = store.frame(ofSlot: slot)
                    if frame >= first && frame < first + count { result.insert(slot) }
                }
            }
        }
        return result.sorted()
    }

    /// Clears a leaf known to be present, freeing tables that become empty.
    private func removeLeaf(_ entry: MMUEntry) {
        guard let position = leafPosition(containing: entry.virtualAddress.rawValue) else { return }
        writeEntry(position.slot, position.index, 0)
        countEntries(-1)
        var slot = position.slot
        while slotUsed[slot] == 0 && slotParent[slot] >= 0 {
            let parent = Int(slotParent[slot]), index = Int(slotParentIndex[slot])
            store.free(slot: slot)
            slotLevel[slot] = -1
            writeEntry(parent, index, 0)
            slot = parent
        }
    }

    /// Inserts a leaf whose range is free, allocating tables from `reserve`.
    private func insertLeaf(_ entry: MMUEntry, reserve: inout [UInt64]) {
        let address = entry.virtualAddress.rawValue
        let depth = leafLevel(entry.size)
        var slot = rootSlots[codec.root(of: address) ?? 0]
        for level in 0..<depth {
            let index = layout.levels[level].index(of: address)
            let raw = readEntry(slot, index)
            if case .table(let frame, _) = codec.decode(raw, level: level), let next = store.slot(ofFrame: frame) {
                slot = next
                continue
            }
            // Empty (or a removed leaf's cleared slot): a new table.
            guard let frame = reserve.popLast() else { preconditionFailure("frame reserve exhausted") }
            let child = store.allocate(frame: frame)
            adopt(child, level: level + 1, parent: slot, index: index)
            writeEntry(slot, index, codec.table(frame: frame, level: level))
            slot = child
        }
        writeEntry(slot, layout.levels[depth].index(of: address), codec.leaf(entry, level: depth))
        countEntries(1)
    }

    /// Moves a table page to another frame and repoints its parent.
    private func relocate(_ slot: Int, to frame: UInt64) {
        store.move(slot: slot, to: frame)
        let parent = Int(slotParent[slot])
        if parent >= 0 {
            writeEntry(parent, Int(slotParentIndex[slot]), codec.table(frame: frame, level: Int(slotLevel[parent])))
        }
    }
}
