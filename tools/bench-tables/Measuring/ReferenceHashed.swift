/// A minimal hashed table of 32-byte records in a flat `[UInt64]` (the shape of the C
/// reference: PTE, ITIR, tag, next; Ski's hash `hpn ^ rid` and tag `hpn ^ (rid << 39)`; the
/// hashed slot, then its overflow chain), built and walked in the same run as ours.
struct ReferenceHashed {
    /// Slots of four words, then overflow records.
    var words: [UInt64] = []
    /// `slots - 1`.
    var mask: UInt64 = 0

    /// The tag of an empty slot.
    static let invalidTag: UInt64 = 1 << 63

    /// Builds 4 KiB mappings from (virtual address, frame number) pairs, twice as many slots as
    /// entries (at least 1024), as the IA-64 long format sizes its table.
    mutating func build(_ pages: [(UInt64, UInt64)]) {
        var slots = 1024
        while slots < pages.count * 2 { slots <<= 1 }
        mask = UInt64(slots - 1)
        words = [UInt64](repeating: 0, count: slots * 4)
        for slot in 0..<slots { words[slot * 4 + 2] = Self.invalidTag }
        for (address, frame) in pages {
            let page = (address & ((1 << 51) - 1)) >> 12, rid = address >> 61
            let head = Int((page ^ rid) & mask) * 4
            let tag = page ^ (rid << 39)
            if words[head + 2] == Self.invalidTag {
                words[head] = frame << 12 | 0x61
                words[head + 1] = 12 << 2
                words[head + 2] = tag
            } else {
                let record = words.count
                words.append(contentsOf: [frame << 12 | 0x61, 12 << 2, tag, words[head + 3]])
                words[head + 3] = UInt64(record)
            }
        }
    }

    /// The physical address of `address`, or 0 when unmapped.
    @inline(never)
    func translate(_ address: UInt64) -> UInt64 {
        words.withUnsafeBufferPointer { words in
            let page = (address & ((1 << 51) - 1)) >> 12, rid = address >> 61
            var record = Int((page ^ rid) & mask) * 4
            let tag = page ^ (rid << 39)
            while true {
                if words[record + 2] == tag { return words[record] & 0x3_FFFF_FFFF_F000 | address & 0xFFF }
                let next = words[record + 3]
                if next == 0 { return 0 }
                record = Int(next)
            }
        }
    }
}
