/// A minimal PowerPC hashed page table: groups of eight 16-byte HPTEs, the primary hash
/// `VSID ^ page index` and the secondary `~hash`, the AVPN compared with the valid bit, a
/// quarter as many groups as entries (as ours is sized), built and searched in the same run as
/// ours. 4 KiB pages in 256 MiB segments only.
struct ReferencePTEG {
    /// Two words per HPTE, 16 per group.
    var words: [UInt64] = []
    /// `groups - 1`.
    var mask: UInt64 = 0

    /// A segment's VSID (any fixed scrambling of the ESID will do for the reference).
    @inline(__always)
    static func vsid(_ address: UInt64) -> UInt64 { ((address >> 28) &* 0x0BF6_E2A9) & 0xF_FFFF_FFFF }

    /// Doubleword 0 of the HPTE for `address`: AVPN (VSID and the page's top 5 bits), H, V.
    @inline(__always)
    static func first(_ address: UInt64, vsid: UInt64, secondary: Bool) -> UInt64 {
        (vsid << 5 | (address >> 23) & 0x1F) << 7 | (secondary ? 2 : 0) | 1
    }

    /// Builds 4 KiB mappings from (virtual address, frame number) pairs.
    mutating func build(_ pages: [(UInt64, UInt64)]) {
        var groups = 1024
        while groups * 4 < pages.count { groups <<= 1 }
        while !fill(pages, groups: groups) { groups <<= 1 }
    }

    /// Places every page in its primary or secondary group; `false` when both are full.
    private mutating func fill(_ pages: [(UInt64, UInt64)], groups: Int) -> Bool {
        mask = UInt64(groups - 1)
        words = [UInt64](repeating: 0, count: groups * 16)
        for (address, frame) in pages {
            let vsid = Self.vsid(address)
            let hash = vsid ^ (address & 0x0FFF_FFFF) >> 12
            var placed = false
            for pass in 0..<2 where !placed {
                let secondary = pass == 1
                let base = Int((secondary ? ~hash : hash) & mask) * 16
                for slot in 0..<8 where words[base + slot * 2] & 1 == 0 {
                    words[base + slot * 2] = Self.first(address, vsid: vsid, secondary: secondary)
                    words[base + slot * 2 + 1] = frame << 12 | 0x192
                    placed = true
                    break
                }
            }
            if !placed { return false }
        }
        return true
    }

    /// The physical address of `address`, or 0 when unmapped.
    @inline(never)
    func translate(_ address: UInt64) -> UInt64 {
        words.withUnsafeBufferPointer { words in
            let vsid = Self.vsid(address)
            let hash = vsid ^ (address & 0x0FFF_FFFF) >> 12
            for pass in 0..<2 {
                let secondary = pass == 1
                let expected = Self.first(address, vsid: vsid, secondary: secondary)
                let base = Int((secondary ? ~hash : hash) & mask) &* 16
                for slot in 0..<8 where words[base &+ slot &* 2] == expected {
                    return words[base &+ slot &* 2 &+ 1] & 0x0FFF_FFFF_FFFF_F000 | address & 0xFFF
                }
            }
            return 0
        }
    }
}
