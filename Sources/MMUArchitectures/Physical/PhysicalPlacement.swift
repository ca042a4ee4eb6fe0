import MMUCore

/// Finds where table pages can sit: the lowest physical range that no mapped frame (large pages
/// included) and no reserved range touches.
///
/// Occupancy is marked in a bitmap over a window of 2^22 frames (16 GiB) at a time, so a
/// search costs one pass over the entries per window it inspects (normally one).
struct PhysicalPlacement {
    /// Frames per search window.
    static let windowFrames: UInt64 = 1 << 22

    /// The entries whose frames are occupied.
    let entries: [MMUEntry]
    /// Other occupied frame intervals `[start, end)`.
    let reserved: [(start: UInt64, end: UInt64)]

    /// A placement avoiding the frames of `entries` and the given extra intervals.
    init(avoiding entries: [MMUEntry], reserved: [(start: UInt64, end: UInt64)] = []) {
        self.entries = entries
        self.reserved = reserved
    }

    /// The lowest frame `f`, a multiple of `alignment` frames, such that `f..<f+count` is free
    /// and ends at or below `limit`; `nil` when there is none.
    ///
    /// - Complexity: O(*n*) per 16 GiB window inspected, for *n* occupied intervals.
    func lowestFreeRange(count: Int, alignment: UInt64 = 1, limit: UInt64) -> UInt64? {
        let needed = UInt64(count)
        if needed == alignment && alignment >= 512 { return lowestFreeBlock(frames: alignment, limit: limit) }
        // A small window first (most searches end in it), doubling up to 16 GiB per pass.
        let largest = max(Self.windowFrames, (needed + alignment) * 2)
        var window = min(largest, max(1 << 16, (needed + alignment) * 4))
        var start: UInt64 = 0
        var bitmap: [UInt64] = []
        while start < limit {
            bitmap = [UInt64](repeating: 0, count: Int((window + 63) / 64))
            let end = start + window
            for entry in entries {
                let a = entry.physicalAddress.rawValue >> 12, b = a + (1 << (UInt64(entry.size.shift) - 12))
                if b > start && a < end { mark(&bitmap, from: max(a, start) - start, to: min(b, end) - start) }
            }
            for (a, b) in reserved where b > start && a < end {
                mark(&bitmap, from: max(a, start) - start, to: min(b, end) - start)
            }
            // Scan for an aligned free run inside the window.
            var position: UInt64 = 0
            var lastRunStart: UInt64? = nil
            while position < window {
                let freeStart = nextClear(bitmap, from: position, limit: window)
                guard freeStart < window else { lastRunStart = nil; break }
                let freeEnd = nextSet(bitmap, from: freeStart, limit: window)
                let absoluteStart = start + freeStart
                let aligned = (absoluteStart + alignment - 1) / alignment * alignment
                if aligned + needed <= start + freeEnd {
                    return aligned + needed <= limit ? aligned : nil
                }
                if freeEnd == window { lastRunStart = freeStart; break }
                position = freeEnd
            }
            // Continue from the free run touching the window's end, if any.
            let next = start + (lastRunStart ?? window)
            start = next > start ? next : start + window
            window = min(largest, window * 2)
        }
        return nil
    }

    /// The lowest free block of `frames` frames aligned to its size (a hash table): one bit
    /// per block, one pass over the entries.
    private func lowestFreeBlock(frames: UInt64, limit: UInt64) -> UInt64? {
        let shift = UInt64(frames.trailingZeroBitCount)
        let blocks = limit >> shift
        guard blocks > 0 else { return nil }
        var used = [UInt64](repeating: 0, count: Int((blocks + 63) / 64))
        func markBlocks(_ start: UInt64, _ end: UInt64) {
            var block = start >> shift
            let last = min((end - 1) >> shift, blocks - 1)
            while block <= last && start < limit {
                used[Int(block >> 6)] |= 1 << (block & 63)
                block += 1
            }
        }
        for entry in entries {
            let start = entry.physicalAddress.rawValue >> 12
            markBlocks(start, start + (1 << (UInt64(entry.size.shift) - 12)))
        }
        for (start, end) in reserved where end > start { markBlocks(start, end) }
        for (index, word) in used.enumerated() where word != .max {
            let block = UInt64(index) << 6 + UInt64((~word).trailingZeroBitCount)
            return block < blocks ? block << shift : nil
        }
        return nil
    }

    private func mark(_ bitmap: inout [UInt64], from: UInt64, to: UInt64) {
        var bit = from
        while bit < to {
            let word = Int(bit >> 6), offset = bit & 63
            if offset == 0 && to - bit >= 64 {
                bitmap[word] = .max
                bit += 64
            } else {
                let span = min(64 - offset, to - bit)
                let mask: UInt64 = span == 64 ? .max : ((1 << span) - 1) << offset
                bitmap[word] |= mask
                bit += span
            }
        }
    }

    private func nextClear(_ bitmap: [UInt64], from: UInt64, limit: UInt64) -> UInt64 {
        var bit = from
        while bit < limit {
            let word = bitmap[Int(bit >> 6)] | ((1 << (bit & 63)) &- 1)
            if word != .max { return min(limit, (bit & ~63) + UInt64((~word).trailingZeroBitCount)) }
            bit = (bit & ~63) + 64
        }
        return limit
    }

    private func nextSet(_ bitmap: [UInt64], from: UInt64, limit: UInt64) -> UInt64 {
        var bit = from
        while bit < limit {
            let word = bitmap[Int(bit >> 6)] & ~((1 << (bit & 63)) &- 1)
            if word != 0 { return min(limit, (bit & ~63) + UInt64(word.trailingZeroBitCount)) }
            bit = (bit & ~63) + 64
        }
        return limit
    }
}
