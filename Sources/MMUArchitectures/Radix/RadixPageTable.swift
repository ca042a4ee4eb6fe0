import MMUCore

/// The generic radix page-table engine: one implementation for every radix format, driven by
/// a codec's level description (``RadixLayout``) and its entry bit twiddling.
///
/// Table pages live in a ``FrameStore`` at physical frames no mapped frame uses. Besides the
/// encoded bytes, the engine keeps per-page bookkeeping (level, used entries, parent) so that
/// incremental changes can free empty tables and relocate pages; walks never consult it.
///
/// A class so that a walk passes one reference instead of copying the whole engine value;
/// the per-family wrappers (``RadixHardwareTable``) give it value semantics by
/// copying it before a change when it is shared. Its properties skip dynamic exclusivity
/// checks: an engine is only changed through a wrapper that holds the only reference, so no
/// access can overlap a change.
final class RadixPageTable<Codec: RadixEntryCodec>: @unchecked Sendable {  // mutated only through a uniquely referenced wrapper (copy-on-write)
    /// The format's bit twiddling.
    let codec: Codec
    /// The format.
    let format: PageTableFormat
    /// The level structure (the codec's, computed once).
    let layout: RadixLayout
    /// The table pages.
    @exclusivity(unchecked) var store: FrameStore
    /// The slot of each root table.
    @exclusivity(unchecked) var rootSlots: [Int] {
        didSet {
            rootWords = (
                rootSlots.first.map { $0 &* FrameStore.wordsPerPage } ?? 0,
                rootSlots.dropFirst().first.map { $0 &* FrameStore.wordsPerPage } ?? 0
            )
        }
    }
    /// The first word of each root table (two at most: AArch64's TTBR0 and TTBR1 halves), for
    /// walks: stored fields rather than an array.
    @exclusivity(unchecked) private(set) var rootWords: (Int, Int) = (0, 0)
    /// Per slot: the level of the table (-1 for a free slot).
    @exclusivity(unchecked) var slotLevel: [Int8]
    /// Per slot: the number of non-zero entries.
    @exclusivity(unchecked) var slotUsed: [Int32]
    /// Per slot: the parent table's slot, or -1 for a root.
    @exclusivity(unchecked) var slotParent: [Int32]
    /// Per slot: the index of the entry in the parent that points here.
    @exclusivity(unchecked) var slotParentIndex: [Int32]
    /// The number of canonical entries (leaves) encoded.
    @exclusivity(unchecked) private(set) var entryCount: Int
    /// The frames mapped by the entries, built at the first incremental change.
    @exclusivity(unchecked) var occupancy: FrameOccupancy?
    /// The options the table was built with.
    let options: BuildOptions
    /// For a table imported under registers that define memory types (the x86 PAT): the cache
    /// mode of each memory-type index, `nil` for a type no canonical mode holds.
    @exclusivity(unchecked) var importedMemoryTypes: [CacheMode?]?
    /// The level index of leaves of each page shift (12...32), -1 when not a leaf size.
    let leafLevelByShift: [Int8]
    /// The levels (the layout's, plain values).
    let levels: [RadixLevel]
    /// Whether entries are 4 bytes (i386) rather than 8 (a constant of the codec).
    @inline(__always)
    var hasFourByteEntries: Bool { codec.hasFourByteEntries }
    /// The page size of a leaf at each level (4 KiB where leaves may not sit), for walks.
    let leafSizes: RadixLeafSizes

    /// An empty table with its roots allocated in a fresh store.
    init(codec: Codec, format: PageTableFormat, store: FrameStore, options: BuildOptions) {
        let layout = codec.layout
        self.codec = codec
        self.format = format
        self.layout = layout
        self.store = store
        self.rootSlots = []
        self.slotLevel = []
        self.slotUsed = []
        self.slotParent = []
        self.slotParentIndex = []
        self.entryCount = 0
        self.options = options
        var byShift = [Int8](repeating: -1, count: 33)
        for (index, level) in layout.levels.enumerated() {
            if let size = level.leafSize { byShift[Int(size.shift)] = Int8(index) }
        }
        self.leafLevelByShift = byShift
        self.levels = layout.levels
        precondition(
            RadixWalkShape(layout) == codec.walkShape && codec.lastLevel == layout.levels.count - 1
                && codec.leafShifts == PackedLevelBytes(layout.levels.map { Int($0.leafShift) })
                && codec.hasFourByteEntries == (layout.entryBytes == 4),
            "the codec's constants disagree with its layout")
        self.leafSizes = RadixLeafSizes(layout.levels)
    }

    /// The level leaves of `size` sit at.
    @inline(__always)
    func leafLevel(_ size: PageSize) -> Int { Int(leafLevelByShift[Int(size.shift)]) }

    /// The key identifying the table at `level` (≥ 1) that covers `address`.
    @inline(__always)
    func tableKey(_ address: UInt64, level: Int) -> UInt64 {
        let above = levels[level]
        return address >> UInt64(above.shift + above.bits)
    }

    /// Entry `index` of the table in `slot`.
    @inline(__always)
    func readEntry(_ slot: Int, _ index: Int) -> UInt64 {
        if !hasFourByteEntries { return store[slot, index] }
        let word = store[slot, index >> 1]
        return index & 1 == 0 ? word & 0xFFFF_FFFF : word >> 32
    }

    /// Sets entry `index` of the table in `slot`, keeping the used count.
    @inline(__always)
    func writeEntry(_ slot: Int, _ index: Int, _ value: UInt64) {
        let old = readEntry(slot, index)
        if old == 0 && value != 0 { slotUsed[slot] += 1 } else if old != 0 && value == 0 { slotUsed[slot] -= 1 }
        if !hasFourByteEntries {
            store[slot, index] = value
        } else {
            let word = store[slot, index >> 1]
            store[slot, index >> 1] =
                index & 1 == 0 ? (word & 0xFFFF_FFFF_0000_0000) | value : (word & 0xFFFF_FFFF) | value << 32
        }
    }

    /// Records bookkeeping for a newly allocated slot.
    func adopt(_ slot: Int, level: Int, parent: Int, index: Int) {
        while slotLevel.count <= slot {
            slotLevel.append(-1)
            slotUsed.append(0)
            slotParent.append(-1)
            slotParentIndex.append(-1)
        }
        slotLevel[slot] = Int8(level)
        slotUsed[slot] = 0
        slotParent[slot] = Int32(parent)
        slotParentIndex[slot] = Int32(index)
    }

    /// The frames of the root tables.
    var rootFrames: [UInt64] { rootSlots.map { store.frame(ofSlot: $0) } }

    /// An independent copy (the wrappers' copy-on-write).
    func copy() -> RadixPageTable {
        let copy = RadixPageTable(codec: codec, format: format, store: store, options: options)
        copy.rootSlots = rootSlots
        copy.slotLevel = slotLevel
        copy.slotUsed = slotUsed
        copy.slotParent = slotParent
        copy.slotParentIndex = slotParentIndex
        copy.entryCount = entryCount
        copy.occupancy = occupancy
        return copy
    }

    /// Counts a leaf added or removed.
    func countEntries(_ delta: Int) { entryCount += delta }
}
