import MMUCore

/// One level of a radix page table, described by data.
struct RadixLevel: Hashable, Sendable {
    /// The hardware's name for the level (`PML4`, `L1`, `PDPT`).
    var name: String
    /// Linux's generic name for the level (`pgd`, `p4d`, `pud`, `pmd`, `pte`).
    var genericName: String
    /// The lowest virtual-address bit this level consumes (log2 of one entry's span).
    var shift: Int
    /// The number of virtual-address bits consumed; 0 marks a folded level.
    var bits: Int
    /// The page size of a leaf at this level, or `nil` when leaves may not sit here.
    var leafSize: PageSize?

    /// The number of entries in one table of this level.
    var entryCount: Int { 1 << bits }

    /// The index of `address` in a table of this level.
    @inline(__always)
    func index(of address: UInt64) -> Int { Int(truncatingIfNeeded: (address >> UInt64(shift)) & UInt64(entryCount - 1)) }
}

/// The shape of a radix format: levels top to bottom, entry size, and the number of roots.
///
/// Built from Linux's five generic levels (pgd, p4d, pud, pmd, pte); a level of 0 bits is
/// *folded* (the parent entry stands for it, as `pgtable-nop4d.h` and friends do) and does not
/// exist in the hardware table.
struct RadixLayout: Hashable, Sendable {
    /// The hardware levels, top first (folded levels removed).
    let levels: [RadixLevel]
    /// The generic levels as described, folded ones included.
    let genericLevels: [RadixLevel]
    /// Bytes per entry: 4 or 8.
    let entryBytes: Int
    /// The number of root tables (2 for AArch64's TTBR0/TTBR1 halves).
    let rootCount: Int

    /// Creates a layout from the five generic levels, folding those with 0 bits.
    init(generic: [RadixLevel], entryBytes: Int, rootCount: Int = 1) {
        precondition(generic.count == 5 && entryBytes == 4 || entryBytes == 8)
        self.genericLevels = generic
        self.levels = generic.filter { $0.bits > 0 }
        self.entryBytes = entryBytes
        self.rootCount = rootCount
    }

    /// The level index whose leaves have `size`, or `nil`.
    func leafLevel(for size: PageSize) -> Int? { levels.firstIndex { $0.leafSize == size } }

    /// The page sizes leaves can have, ascending.
    var pageSizes: [PageSize] { levels.compactMap(\.leafSize).sorted() }
}
