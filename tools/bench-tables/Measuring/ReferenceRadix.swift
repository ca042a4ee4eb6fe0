/// A minimal x86-64 4-level table in a flat `[UInt64]` (the shape of the C reference: no
/// formats, no checks, no placement), built and walked in the same run as ours so that our
/// figures can be read as a ratio on a loaded machine.
struct ReferenceRadix {
    /// Table pages, 512 words each; page 0 is the root.
    var words: [UInt64] = [UInt64](repeating: 0, count: 512)

    /// Builds 4 KiB mappings from (virtual page number, frame number) pairs.
    mutating func build(_ pages: [(UInt64, UInt64)]) {
        for (page, frame) in pages {
            var table = 0
            for level in 0..<3 {
                let index = table * 512 + Int((page >> UInt64(27 - 9 * level)) & 511)
                var next = words[index]
                if next == 0 {
                    let newTable = words.count / 512
                    words.append(contentsOf: repeatElement(0, count: 512))
                    next = UInt64(newTable) << 12 | 0x27
                    words[index] = next
                }
                table = Int(next >> 12)
            }
            words[table * 512 + Int(page & 511)] = frame << 12 | 0x67
        }
    }

    /// The physical address of `address`, or 0 when unmapped.
    @inline(never)
    func translate(_ address: UInt64) -> UInt64 {
        words.withUnsafeBufferPointer { words in
            var table = 0
            for level in 0..<4 {
                let entry = words[table * 512 + Int((address >> UInt64(39 - 9 * level)) & 511)]
                if entry & 1 == 0 { return 0 }
                table = Int((entry >> 12) & 0xFF_FFFF_FFFF)
            }
            return UInt64(table) << 12 | address & 0xFFF
        }
    }
}
