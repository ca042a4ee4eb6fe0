/// A minimal virtually linear page table (the shape of the IA-64 short-format VHPT: the PTE of
/// page *n* sits at `base + 8n`), in a flat array over the pages it covers, built and walked in
/// the same run as ours.
struct ReferenceLinear {
    /// The first page number the table covers.
    var firstPage: UInt64 = 0
    /// One 8-byte PTE per page from `firstPage`.
    var words: [UInt64] = []

    /// Builds 4 KiB mappings from (virtual address, frame number) pairs.
    mutating func build(_ pages: [(UInt64, UInt64)]) {
        let numbers = pages.map { ($0.0 & ((1 << 61) - 1)) >> 12 }
        firstPage = numbers.min() ?? 0
        words = [UInt64](repeating: 0, count: Int((numbers.max() ?? 0) - firstPage + 1))
        for (number, page) in zip(numbers, pages) { words[Int(number - firstPage)] = page.1 << 12 | 0x61 }
    }

    /// The physical address of `address`, or 0 when unmapped.
    @inline(never)
    func translate(_ address: UInt64) -> UInt64 {
        let index = ((address & ((1 << 61) - 1)) >> 12) &- firstPage
        guard index < UInt64(words.count) else { return 0 }
        let pte = words[Int(index)]
        return pte & 1 == 0 ? 0 : pte & 0x3_FFFF_FFFF_F000 | address & 0xFFF
    }
}
