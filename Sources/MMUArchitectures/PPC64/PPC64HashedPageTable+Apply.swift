import MMUCore

extension PPC64HashedPageTable {
    /// Applies a transaction's changes: invalidates and fills HPTEs in place. The table is
    /// rebuilt (O(*n*)) when both groups of an added page are full, when an added frame lands
    /// on the HTAB, or when a segment that keeps entries must change its base page size
    /// (only with the split option; otherwise that is a segment-rule error).
    ///
    /// - Returns: The changed table to use instead (a changed copy, or a rebuilt table); the
    ///   receiver itself is never changed, so a change that fails halfway leaves it intact.
    func apply(removing: [MMUEntry], adding: [MMUEntry]) throws(PageTableError) -> PPC64HashedPageTable? {
        let removals = try format.preparedRemovals(removing, options: BuildOptions(splitsUnsupportedPages: true))
        var remaining = segmentCounts
        var cleared = Set<Int>()
        for entry in removals {
            let ea = entry.virtualAddress.rawValue
            guard segments[ea >> PPC64Segment.shift] == entry.size, let found = search(ea, size: entry.size).found,
                found.second == PPC64HPTE.second(entry), cleared.insert(found.group << 3 | found.slot).inserted
            else { throw .notInTable(entry) }
            remaining[ea >> PPC64Segment.shift, default: 0] -= 1
        }
        let sortedAdditions = adding.sorted { $0.virtualAddress < $1.virtualAddress }
        let change = try SizeDomainChange(adding: sortedAdditions, to: segments, remaining: remaining, format: format, options: options)
        let sizes = change.sizes, additions = change.additions
        var needsRebuild = change.needsRebuild
        for (previous, entry) in zip(additions, additions.dropFirst()) where previous.range.overlaps(entry.range) {
            throw .overlapsTable(entry)
        }
        for entry in additions {
            if let found = search(entry.virtualAddress.rawValue, size: entry.size).found, !cleared.contains(found.group << 3 | found.slot) {
                throw .overlapsTable(entry)
            }
        }
        let tableEnd = tableBase + UInt64(tablePages) << 12
        if additions.contains(where: { $0.physicalAddress.rawValue < tableEnd && $0.physicalAddress.rawValue + $0.size.byteCount > tableBase }) {
            needsRebuild = true
        }
        let changed = copy()
        if !needsRebuild {
            for entry in removals {
                if let found = changed.search(entry.virtualAddress.rawValue, size: entry.size).found {
                    changed.setHPTE(found.group, found.slot, 0, 0)
                    changed.entryCount -= 1
                    changed.segmentCounts[entry.virtualAddress.rawValue >> PPC64Segment.shift, default: 0] -= 1
                }
            }
            changed.segments = sizes
            for entry in additions {
                guard changed.insert(entry) else {
                    needsRebuild = true
                    break
                }
                changed.segmentCounts[entry.virtualAddress.rawValue >> PPC64Segment.shift, default: 0] += 1
            }
            for (esid, count) in changed.segmentCounts where count == 0 {
                changed.segments[esid] = nil
                changed.segmentCounts[esid] = nil
            }
        }
        if needsRebuild {
            let combined = try combinedEntries(removing: removals, adding: sortedAdditions)
            return try Self.build(format: format, entries: try format.prepared(combined, options: options), options: options)
        }
        return changed
    }
}
