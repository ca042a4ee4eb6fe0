import MMUCore

extension RadixPageTable {
    /// Builds the table for `entries` (sorted by address, disjoint, checked by the format).
    ///
    /// Table pages are counted first, then placed in the lowest free physical range large
    /// enough for all of them, and filled in one pass that remembers the current path, so
    /// consecutive entries share the walk down to their common table.
    ///
    /// - Throws: ``PageTableError/noFreePhysicalRange(pages:below:)``.
    /// - Complexity: O(*n* · levels) for *n* entries, plus the placement search.
    static func build(codec: Codec, format: PageTableFormat, entries: [MMUEntry], options: BuildOptions) throws(PageTableError) -> RadixPageTable {
        let probe = RadixPageTable(codec: codec, format: format, store: FrameStore(), options: options)
        let levels = probe.levels
        var pages = probe.layout.rootCount
        for level in 1..<levels.count {
            var lastKey: UInt64? = nil
            for entry in entries where probe.leafLevel(entry.size) >= level {
                let key = probe.tableKey(entry.virtualAddress.rawValue, level: level)
                if key != lastKey {
                    pages += 1
                    lastKey = key
                }
            }
        }
        let limit = min(options.tablePlacementLimit, codec.tableAddressLimit) >> 12
        guard let base = PhysicalPlacement(avoiding: entries).lowestFreeRange(count: pages, limit: limit) else {
            throw .noFreePhysicalRange(pages: pages, below: PhysicalAddress(limit << 12))
        }
        probe.store = FrameStore(primaryBase: base)
        probe.store.reserveCapacity(pages)
        probe.slotLevel.reserveCapacity(pages)
        for _ in 0..<probe.layout.rootCount {
            let slot = probe.store.appendPrimary()
            probe.adopt(slot, level: 0, parent: -1, index: -1)
            probe.rootSlots.append(slot)
        }
        probe.fill(entries)
        return probe
    }

    /// Inserts sorted entries during a build, allocating tables from the primary run.
    private func fill(_ entries: [MMUEntry]) {
        let levelCount = layout.levels.count
        var pathSlot = [Int](repeating: -1, count: levelCount)
        var pathKey = [UInt64](repeating: .max, count: levelCount)
        var lastRoot = -1
        for entry in entries {
            let address = entry.virtualAddress.rawValue
            let depth = leafLevel(entry.size)
            let root = codec.root(of: address) ?? 0
            if root != lastRoot {
                for index in pathKey.indices { pathKey[index] = .max }
                lastRoot = root
            }
            var level = depth
            while level > 0 && pathKey[level] != tableKey(address, level: level) { level -= 1 }
            var slot = level == 0 ? rootSlots[root] : pathSlot[level]
            while level < depth {
                let levelInfo = layout.levels[level]
                let index = levelInfo.index(of: address)
                let raw = readEntry(slot, index)
                let child: Int
                if raw == 0 {
                    child = store.appendPrimary()
                    adopt(child, level: level + 1, parent: slot, index: index)
                    writeEntry(slot, index, codec.table(frame: store.frame(ofSlot: child), level: level))
                } else if case .table(let frame, _) = codec.decode(raw, level: level), let found = store.slot(ofFrame: frame) {
                    child = found
                } else {
                    preconditionFailure("overlapping entries reached the builder at \(entry)")
                }
                level += 1
                slot = child
                pathSlot[level] = child
                pathKey[level] = tableKey(address, level: level)
            }
            writeEntry(slot, layout.levels[depth].index(of: address), codec.leaf(entry, level: depth))
            countEntries(1)
        }
    }
}
