import MMUCore

/// One level of a radix page table, described by data (plain values, cheap to copy in walks).
struct RadixLevel: Hashable, Sendable {
    /// The lowest virtual-address bit this level consumes (log2 of one entry's span).
    var shift: Int
    /// The number of virtual-address bits consumed; 0 marks a folded level.
    var bits: Int
    /// log2 of the page size of a leaf at this level, or 0 when leaves may not sit here.
    var leafShift: UInt8
    /// `2^bits − 1`, precomputed for walks.
    var indexMask: UInt64
    /// The page size of a leaf at this level, or `nil` when leaves may not sit here.
    let leafSize: PageSize?

    /// Creates a level.
    init(shift: Int, bits: Int, leafSize: PageSize?) {
        self.shift = shift
        self.bits = bits
        self.leafShift = leafSize?.shift ?? 0
        self.indexMask = (1 << UInt64(bits)) &- 1
        self.leafSize = leafSize
    }

    /// The number of entries in one table of this level.
    var entryCount: Int { 1 << bits }

    /// The index of `address` in a table of this level.
    @inline(__always)
    func index(of address: UInt64) -> Int { Int(truncatingIfNeeded: (address &>> UInt64(truncatingIfNeeded: shift)) & indexMask) }
}

/// The shape of a radix format: levels top to bottom, entry size, and the number of roots.
///
/// Described as Linux's five generic levels (pgd, p4d, pud, pmd, pte); a level of 0 bits is
/// *folded* (the parent entry stands for it, as `pgtable-nop4d.h` and friends do) and does not
/// exist in the hardware table.
struct RadixLayout: Hashable, Sendable {
    /// One generic level as described: its hardware name, Linux's name, and its shape.
    struct Described: Hashable, Sendable {
        var name: String
        var genericName: String
        var level: RadixLevel
    }

    /// The hardware levels, top first (folded levels removed).
    let levels: [RadixLevel]
    /// The hardware names of ``levels`` (`PML4`, `L1`, `VPN[2]`).
    let names: [String]
    /// The five generic levels as described, folded ones included.
    let generic: [Described]
    /// Bytes per entry: 4 or 8.
    let entryBytes: Int
    /// The number of root tables (2 for AArch64's TTBR0/TTBR1 halves).
    let rootCount: Int

    /// Creates a layout from the five generic levels, folding those with 0 bits.
    init(generic: [Described], entryBytes: Int, rootCount: Int = 1) {
        precondition(generic.count == 5 && (entryBytes == 4 || entryBytes == 8))
        self.generic = generic
        let kept = generic.filter { $0.level.bits > 0 }
        self.levels = kept.map(\.level)
        self.names = kept.map(\.name)
        self.entryBytes = entryBytes
        self.rootCount = rootCount
    }

    /// Describes one generic level.
    static func level(_ name: String, _ generic: String, _ shift: Int, _ bits: Int, _ leaf: PageSize?) -> Described {
        Described(name: name, genericName: generic, level: RadixLevel(shift: shift, bits: bits, leafSize: leaf))
    }
}
