extension TranslationSet.Difference {
    /// The area changes between two sorted, disjoint area lists, coalesced, in address order.
    ///
    /// The lists may hold only the areas that changed (as the store's generation indexes give
    /// them): an area present and equal on both sides changes nothing and, since areas on one
    /// side never overlap, cannot turn another area's change from added into resized.
    ///
    /// - Complexity: O(*n* + *m*).
    public static func areaChanges(from old: [MemoryArea], to new: [MemoryArea]) -> [AreaChange] {
        let oldOverlaps = overlapFlags(old, new), newOverlaps = overlapFlags(new, old)
        var changes: [AreaChange] = []
        forEachSegment(old, new, range: \.range) { segment in
            let leftCovers = segment.old.map { old[$0] }, rightCovers = segment.new.map { new[$0] }
            let (start, end) = (segment.pages.lowerBound, segment.pages.upperBound)
            let kinds = areaKinds(
                leftCovers, rightCovers, oldOverlaps: segment.old.map { oldOverlaps[$0] } ?? false,
                newOverlaps: segment.new.map { newOverlaps[$0] } ?? false)
            guard !kinds.isEmpty else { return }
            if let last = changes.last, last.range.upperPage == start, last.kinds == kinds,
                continues(last.old, leftCovers, last.new, rightCovers)
            {
                changes[changes.count - 1].range = VirtualRange(pages: last.range.lowerPage..<end)
                changes[changes.count - 1].old = last.old ?? leftCovers
                changes[changes.count - 1].new = last.new ?? rightCovers
            } else {
                changes.append(AreaChange(range: VirtualRange(pages: segment.pages), kinds: kinds, old: leftCovers, new: rightCovers))
            }
        }
        return changes
    }

    /// For each area of `areas`, whether it overlaps an area of `others` (both sorted, disjoint).
    static func overlapFlags(_ areas: [MemoryArea], _ others: [MemoryArea]) -> [Bool] {
        var k = 0
        return areas.map { area in
            while k < others.count, others[k].range.upperPage <= area.range.lowerPage { k += 1 }
            return k < others.count && others[k].range.lowerPage < area.range.upperPage
        }
    }

    static func areaKinds(_ old: MemoryArea?, _ new: MemoryArea?, oldOverlaps: Bool, newOverlaps: Bool) -> AreaKinds {
        switch (old, new) {
        case (nil, nil): return []
        case (nil, _): return newOverlaps ? .resized : .added
        case (_, nil): return oldOverlaps ? .resized : .removed
        case (let old?, let new?):
            var kinds: AreaKinds = []
            if old.range != new.range { kinds.insert(.resized) }
            if old.protection != new.protection { kinds.insert(.reprotected) }
            if old.name != new.name { kinds.insert(.renamed) }
            if old.kind != new.kind || old.isShared != new.isShared { kinds.insert(.attributes) }
            return kinds
        }
    }

    /// Whether a segment covered by `old`/`new` continues the row of `lastOld`/`lastNew`: the same
    /// area on at least one side, and on the other the same area or none on one of them (the part
    /// of a resized area that the other side's area does not cover).
    static func continues(_ lastOld: MemoryArea?, _ old: MemoryArea?, _ lastNew: MemoryArea?, _ new: MemoryArea?) -> Bool {
        let sameOld = lastOld != nil && lastOld == old, sameNew = lastNew != nil && lastNew == new
        let oldFits = sameOld || lastOld == nil || old == nil, newFits = sameNew || lastNew == nil || new == nil
        return (sameOld || sameNew) && oldFits && newFits
    }
}
