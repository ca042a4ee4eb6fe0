/// A minimal radix table of one format's depth and entry size in a flat array (the shape of
/// the C reference: no permissions, page sizes, faults or placement), built and walked in the
/// same run as ours so that our figures can be read as a ratio on a loaded machine.
///
/// `Word` is the entry: `UInt32` for i386's 4-byte entries, `UInt64` for every other format.
/// Page 0 is the root table; the root of PAE has 4 entries, of the others a page's worth.
struct ReferenceRadix<Word: FixedWidthInteger & UnsignedInteger> {
    /// Each level from the root: the virtual address bit where its index starts, and the index mask.
    let levels: [(shift: UInt64, mask: UInt64)]
    /// Entries per 4 KiB table page.
    let wordsPerPage = 4096 / MemoryLayout<Word>.size
    /// Table pages, `wordsPerPage` entries each.
    var words: [Word]

    /// An empty table of `levels` (root first).
    init(levels: [(shift: UInt64, bits: UInt64)]) {
        self.levels = levels.map { ($0.shift, (1 << $0.bits) - 1) }
        words = [Word](repeating: 0, count: 4096 / MemoryLayout<Word>.size)
    }

    /// The reference of a radix format: its depth, index widths and entry size.
    static func levels(of format: String) -> [(shift: UInt64, bits: UInt64)] {
        let nine = { (count: Int, lowest: UInt64) in (0..<count).reversed().map { (lowest + 9 * UInt64($0), UInt64(9)) } }
        switch format {
        case "i386": return [(22, 10), (12, 10)]
        case "i386-pae": return [(30, 2), (21, 9), (12, 9)]
        case "aarch64-4k-39", "riscv-sv39": return nine(3, 12)
        case "x86_64-5level", "riscv-sv57": return nine(5, 12)
        default: return nine(4, 12)
        }
    }

    /// Builds 4 KiB mappings from (virtual address, frame number) pairs.
    mutating func build(_ pages: [(UInt64, UInt64)]) {
        // Locals, so the loop neither retains the level list nor reloads it through `self`.
        let levels = self.levels, wordsPerPage = self.wordsPerPage
        let upper = levels.count - 1, last = levels[upper]
        var words = self.words
        self.words = []
        for (address, frame) in pages {
            var table = 0
            for level in 0..<upper {
                let index = table &* wordsPerPage &+ Int((address >> levels[level].shift) & levels[level].mask)
                var next = words[index]
                if next == 0 {
                    let newTable = words.count / wordsPerPage
                    words.append(contentsOf: repeatElement(0, count: wordsPerPage))
                    next = Word(newTable) << 12 | 0x27
                    words[index] = next
                }
                table = Int(next >> 12)
            }
            words[table &* wordsPerPage &+ Int((address >> last.shift) & last.mask)] = Word(frame) << 12 | 0x67
        }
        self.words = words
    }

    /// The physical address of `address`, or 0 when unmapped.
    @inline(never)
    func translate(_ address: UInt64) -> UInt64 {
        words.withUnsafeBufferPointer { words in
            levels.withUnsafeBufferPointer { levels in
                var table = 0
                for level in levels {
                    let entry = words[table &* wordsPerPage &+ Int((address >> level.shift) & level.mask)]
                    if entry & 1 == 0 { return 0 }
                    table = Int(UInt64(entry) >> 12 & 0xFF_FFFF_FFFF)
                }
                return UInt64(table) << 12 | address & 0xFFF
            }
        }
    }
}
