import MMUCore

/// Which physical frames the entries of a table map, kept up to date by incremental changes so
/// that new table pages never land on a mapped frame.
///
/// A multiset per page size, keyed by the first frame of each mapping, so that "is this frame
/// mapped" costs one lookup per page size in use.
struct FrameOccupancy: Hashable, Sendable {
    private var counts: [UInt8: [UInt64: Int]] = [:]

    /// Records the entries' frames.
    init(_ entries: [MMUEntry]) {
        for entry in entries { insert(entry) }
    }

    /// A table's cached occupancy, or one computed from its entries when there is none.
    ///
    /// - Throws: ``PageTableError/unreadableTable(_:)`` when the table cannot be walked.
    static func current(
        _ cached: FrameOccupancy?, walking entries: () throws(ImageError) -> [MMUEntry]
    ) throws(PageTableError) -> FrameOccupancy {
        if let cached { return cached }
        return FrameOccupancy(try PageTableError.whileWalking(entries))
    }

    /// Records one entry's frames.
    mutating func insert(_ entry: MMUEntry) {
        counts[entry.size.shift, default: [:]][entry.frameNumber, default: 0] += 1
    }

    /// Forgets one entry's frames.
    ///
    /// Changes the inner dictionary in place: copying it out first would copy all of it on
    /// every removal (the copy shares its storage, so the first change duplicates it).
    mutating func remove(_ entry: MMUEntry) {
        let shift = entry.size.shift
        guard let count = counts[shift]?[entry.frameNumber] else { return }
        counts[shift]?[entry.frameNumber] = count > 1 ? count - 1 : nil
        if counts[shift]?.isEmpty == true { counts[shift] = nil }
    }

    /// These counts with a change taken back: the removed entries recorded again, the added
    /// ones forgotten.
    func undoing(removals: [MMUEntry], additions: [MMUEntry]) -> FrameOccupancy {
        var restored = self
        for entry in additions { restored.remove(entry) }
        for entry in removals { restored.insert(entry) }
        return restored
    }

    /// The end frame of a mapping covering `frame`, or `nil` when the frame is free.
    func mappingEnd(covering frame: UInt64) -> UInt64? {
        var end: UInt64? = nil
        for (shift, bySize) in counts {
            let pages = UInt64(1) << (UInt64(shift) - PageSize.minimumShift)
            let start = frame & ~(pages - 1)
            if bySize[start] != nil { end = max(end ?? 0, start + pages) }
        }
        return end
    }
}

extension FrameOccupancy {
    /// Up to `count` of the lowest frames below `limit` that no entry maps and no live page of
    /// `store` uses, ascending.
    ///
    /// - Complexity: O(*count* + mappings and table pages below the last frame returned).
    func lowestFreeFrames(count: Int, avoiding store: FrameStore, limit: UInt64) -> [UInt64] {
        var result: [UInt64] = []
        var frame: UInt64 = 0
        while result.count < count && frame < limit {
            if let end = mappingEnd(covering: frame) {
                frame = end
            } else if store.slot(ofFrame: frame) != nil {
                frame += 1
            } else {
                result.append(frame)
                frame += 1
            }
        }
        return result
    }
}
