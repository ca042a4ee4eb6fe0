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

/// Up to eight small per-level numbers (shifts, index masks, leaf shifts) packed one byte each
/// into one word, so that walks read them without an array access.
struct PackedLevelBytes: Hashable, Sendable {
    /// Byte *i* is the value of level *i*.
    let raw: UInt64

    /// The packed word itself.
    init(raw: UInt64) { self.raw = raw }

    /// Packs `values` (at most eight, each 0...255).
    init(_ values: [Int]) {
        precondition(values.count <= 8 && values.allSatisfy { (0...255).contains($0) }, "eight bytes at most")
        raw = values.enumerated().reduce(0) { $0 | UInt64($1.element) << UInt64($1.offset * 8) }
    }

    /// The value of `level` (0...7).
    @inline(__always)
    subscript(level: Int) -> UInt64 { (raw &>> (UInt64(truncatingIfNeeded: level) &<< 3)) & 0xFF }
}

/// How a walk finds each level's index with constants only: the root level's shift and index
/// mask, and the number of bits every lower level consumes (the levels below the root are
/// uniform in every radix format, so each one's shift is the one above less ``step``).
struct RadixWalkShape: Hashable, Sendable {
    /// The lowest virtual-address bit the root level consumes.
    var topShift: UInt64
    /// The root level's index mask.
    var topIndexMask: UInt64
    /// The bits each level below the root consumes.
    var step: UInt64

    /// The index mask of a level below the root.
    @inline(__always)
    var indexMask: UInt64 { (1 &<< step) &- 1 }

    /// The shape of `layout`, or `nil` when its levels below the root are not uniform.
    init?(_ layout: RadixLayout) {
        guard let top = layout.levels.first else { return nil }
        let below = layout.levels.dropFirst()
        let step = below.first?.bits ?? top.bits
        guard below.allSatisfy({ $0.bits == step }), zip(layout.levels, below).allSatisfy({ $0.shift == $1.shift + step })
        else { return nil }
        self.init(topShift: UInt64(top.shift), topIndexMask: top.indexMask, step: UInt64(step))
    }

    /// A shape from its constants.
    init(topShift: UInt64, topIndexMask: UInt64, step: UInt64) {
        self.topShift = topShift
        self.topIndexMask = topIndexMask
        self.step = step
    }
}

/// The page size of a leaf at each of up to five levels, as stored fields rather than an
/// array: a walk whose level is a constant reads one field, with no bounds check.
struct RadixLeafSizes: Hashable, Sendable {
    private let level0, level1, level2, level3, level4: PageSize
    /// The leaf size at the last level.
    let lastLevel: PageSize

    /// The sizes of `levels` (4 KiB where leaves may not sit).
    init(_ levels: [RadixLevel]) {
        precondition(levels.count <= 5, "five levels at most")
        func size(_ index: Int) -> PageSize { index < levels.count ? levels[index].leafSize ?? .size4KiB : .size4KiB }
        (level0, level1, level2, level3, level4) = (size(0), size(1), size(2), size(3), size(4))
        lastLevel = size(levels.count - 1)
    }

    /// The leaf size at `level` (0...4).
    @inline(__always)
    subscript(level: Int) -> PageSize {
        switch level {
        case 0: level0
        case 1: level1
        case 2: level2
        case 3: level3
        default: level4
        }
    }
}
