import MMUCore

/// The IA-64 long-format VHPT (PTA.vf = 1): one hash table of 32-byte entries
/// (HARDWARE-FORMATS.md §5 "Long-format VHPT").
///
/// Entry words: +0 the PTE (``IA64PageTableEntry``), +8 the ITIR (ps [7:2], key 0),
/// +16 the tag (bit 63 = ti, set in empty slots), +24 the physical address of the next entry
/// of the slot's collision chain (0 ends it).
///
/// - Region registers: region *n* has RID *n*, `ve` = 1 and, as preferred page size, the smallest
///   page size mapped in it (16 KiB when it maps nothing). Hash and tag use `hpn = VA[50:0] >> ps`
///   and the region's RID through the ``VHPTHashFunction`` (Ski's by default).
/// - Pages larger than their region's size are entered once, under the hpn of their first
///   address.
/// - Collisions: the first entry hashed to a slot sits in the slot; later ones go to overflow
///   records (in table pages after the hash table), chained through the +24 word.
/// - Walk: the hardware walker inspects only the hashed slot and needs a tag match. On a miss,
///   the documented software miss handler tries each page size the region maps (as an OS knows
///   from its own bookkeeping), smallest first: it hashes the address aligned to that size and
///   follows the slot's chain for a matching tag whose ITIR.ps is that size. Hits by the walker are reported at level 0,
///   hits by the handler at level 1.
/// - The table is placed at a physical address aligned to its size; PTA holds its virtual base
///   in region 7's identity mapping (`0xE000_0000_0000_0000 | physical`), as Linux maps region 7.
final class IA64LongVHPT: TableEngine, @unchecked Sendable {  // changed only through a uniquely referenced table value (copy-on-write)
    let format: PageTableFormat
    let hashFunction: VHPTHashFunction
    let options: BuildOptions
    /// Hash-table pages (primary slots `0..<tablePages`), then overflow pages.
    @exclusivity(unchecked) var store: FrameStore
    /// The number of 32-byte slots in the hash table (a power of two).
    let slotCount: Int
    /// `slotCount - 1`.
    let slotMask: UInt64
    /// Page sizes by shift (`nil` where there is none), without a global's lazy-initialization
    /// check on walk paths.
    let pageSizeByShift: [PageSize?] = PageSize.byShift
    /// The preferred page shift (RR.ps) of each region.
    @exclusivity(unchecked) var regionShifts: [UInt8] {
        didSet { packedRegionShifts = PackedLevelBytes(regionShifts.map(Int.init)) }
    }
    /// ``regionShifts`` packed one byte per region, for walks.
    @exclusivity(unchecked) private(set) var packedRegionShifts: PackedLevelBytes
    /// The number of canonical entries encoded.
    @exclusivity(unchecked) var entryCount: Int
    /// Free overflow records (physical addresses).
    @exclusivity(unchecked) var freeRecords: [UInt64]
    /// The number of entries per region.
    @exclusivity(unchecked) var regionCounts: [Int]
    /// Frames mapped by the entries, built at the first incremental change.
    @exclusivity(unchecked) var occupancy: FrameOccupancy?
    /// Entries per region and page shift (`region * 64 + shift`): which sizes each region
    /// maps, for the miss handler.
    @exclusivity(unchecked) var sizeCounts: [Int] = [Int](repeating: 0, count: 8 * 64)
    /// Per region, bit *n* set when the region maps pages of 2^*n* bytes.
    @exclusivity(unchecked) var regionSizeMasks: [UInt64] = [UInt64](repeating: 0, count: 8)

    init(format: PageTableFormat, hashFunction: VHPTHashFunction, options: BuildOptions, store: FrameStore, slotCount: Int, regionShifts: [UInt8], entryCount: Int, freeRecords: [UInt64], regionCounts: [Int], occupancy: FrameOccupancy?) {
        self.format = format
        self.hashFunction = hashFunction
        self.options = options
        self.store = store
        self.slotCount = slotCount
        self.slotMask = UInt64(slotCount - 1)
        self.regionShifts = regionShifts
        self.packedRegionShifts = PackedLevelBytes(regionShifts.map(Int.init))
        self.entryCount = entryCount
        self.freeRecords = freeRecords
        self.regionCounts = regionCounts
        self.occupancy = occupancy
    }

    /// An independent copy (the wrapper's copy-on-write).
    func copy() -> IA64LongVHPT {
        let copy = IA64LongVHPT(
            format: format, hashFunction: hashFunction, options: options, store: store, slotCount: slotCount,
            regionShifts: regionShifts, entryCount: entryCount, freeRecords: freeRecords, regionCounts: regionCounts,
            occupancy: occupancy)
        copy.sizeCounts = sizeCounts
        copy.regionSizeMasks = regionSizeMasks
        return copy
    }

    /// Counts an entry of `size` in `region` as added (+1) or removed (−1).
    func countSize(_ size: PageSize, region: Int, _ delta: Int) {
        let index = region * 64 + Int(size.shift)
        sizeCounts[index] += delta
        if sizeCounts[index] > 0 {
            regionSizeMasks[region] |= 1 << UInt64(size.shift)
        } else {
            regionSizeMasks[region] &= ~(1 << UInt64(size.shift))
        }
    }


    static let invalidTag: UInt64 = 1 << 63
    static let recordsPerPage = 128
    static let defaultRegionShift: UInt8 = 14

    /// The number of hash-table pages.
    var tablePages: Int { slotCount / Self.recordsPerPage }
    /// The physical address of the hash table.
    var tableBase: UInt64 { store.primaryBase << 12 }

    /// The region's RID.
    @inline(__always)
    func regionID(_ region: Int) -> UInt64 { IA64Regions.regionID(region) }

    /// The index of the first word of the record at physical address `address` in the store's
    /// memory, or `nil` outside the table pages. Records in the intact primary run (the hash
    /// table, then the overflow pages of a build) are found by a subtraction.
    @inline(__always)
    func recordIndex(_ address: UInt64) -> Int? {
        let offset = address &- store.intactRunStart
        if offset < store.intactRunBytes {
            return Int(truncatingIfNeeded: offset &>> 3)
        }
        guard let slot = store.slot(ofFrame: address &>> 12) else { return nil }
        return slot &* FrameStore.wordsPerPage &+ Int(truncatingIfNeeded: address & 0xFFF) &>> 3
    }

    /// Words of the record at physical address `address`, or `nil` outside the table pages.
    @inline(__always)
    func recordWord(_ address: UInt64, _ word: Int) -> UInt64? {
        guard let index = recordIndex(address) else { return nil }
        return store.memory[index &+ word]
    }

    /// Word `word` of hash slot `index` (the hash table is the primary run's first pages, slots
    /// in order: slot *i* starts at word 4*i*).
    @inline(__always)
    func headWord(_ index: Int, _ word: Int) -> UInt64 { store.memory[index &* 4 &+ word] }

    /// The physical address of hash slot `index`.
    @inline(__always)
    func slotAddress(_ index: Int) -> UInt64 { tableBase + UInt64(index) * 32 }

    func setRecord(_ address: UInt64, _ words: (UInt64, UInt64, UInt64, UInt64)) {
        guard let slot = store.slot(ofFrame: address >> 12) else { return }
        let base = Int(address & 0xFFF) >> 3
        store[slot, base] = words.0
        store[slot, base + 1] = words.1
        store[slot, base + 2] = words.2
        store[slot, base + 3] = words.3
    }

    func setWord(_ address: UInt64, _ word: Int, _ value: UInt64) {
        guard let slot = store.slot(ofFrame: address >> 12) else { return }
        store[slot, Int(address & 0xFFF) >> 3 + word] = value
    }

    /// The hash slot and tag of the page of `size` containing the implemented offset `offset`.
    @inline(__always)
    func slotAndTag(offset: UInt64, region: Int, size: PageSize) -> (Int, UInt64) {
        let shift = UInt64(regionShifts[region])
        let page = (offset & ~((1 << UInt64(size.shift)) &- 1)) >> shift
        let rid = regionID(region)
        let index = Int(truncatingIfNeeded: hashFunction.hash(page: page, region: rid) & UInt64(slotCount - 1))
        return (index, hashFunction.tag(page: page, region: rid))
    }

    /// The record words of an entry.
    func record(_ entry: MMUEntry, tag: UInt64, next: UInt64) -> (UInt64, UInt64, UInt64, UInt64) {
        (IA64PageTableEntry(entry).rawValue, UInt64(entry.size.shift) << 2, tag, next)
    }

    /// Builds the table.
    ///
    /// - Throws: ``PageTableError/noFreePhysicalRange(pages:below:)``.
    /// - Complexity: O(*n*) plus the placement search.
    static func build(format: PageTableFormat, entries: [MMUEntry], options: BuildOptions) throws(PageTableError) -> IA64LongVHPT {
        var shifts = [UInt8](repeating: defaultRegionShift, count: 8)
        var counts = [Int](repeating: 0, count: 8)
        for entry in entries {
            let region = Int(entry.virtualAddress.rawValue >> 61)
            shifts[region] = counts[region] == 0 ? entry.size.shift : min(shifts[region], entry.size.shift)
            counts[region] += 1
        }
        var slots = 1024
        while slots < entries.count * 2 { slots <<= 1 }
        let table = IA64LongVHPT(
            format: format, hashFunction: options.vhptHash, options: options, store: FrameStore(), slotCount: slots,
            regionShifts: shifts, entryCount: 0, freeRecords: [], regionCounts: counts, occupancy: nil)
        // Each entry's slot, once (the count of collisions sizes the overflow area).
        var entrySlots = [UInt32](repeating: 0, count: entries.count)
        var heads = [UInt64](repeating: 0, count: slots / 64)
        var overflow = 0
        for (position, entry) in entries.enumerated() {
            let index = table.slotAndTag(entry).0
            entrySlots[position] = UInt32(truncatingIfNeeded: index)
            let bit: UInt64 = 1 &<< UInt64(index & 63)
            if heads[index >> 6] & bit != 0 { overflow += 1 } else { heads[index >> 6] |= bit }
        }
        let overflowPages = (overflow + recordsPerPage - 1) / recordsPerPage
        let pages = table.tablePages + overflowPages
        let limit = options.tablePlacementLimit >> 12
        guard
            let base = PhysicalPlacement(avoiding: entries).lowestFreeRange(
                count: pages, alignment: UInt64(table.tablePages), limit: limit)
        else { throw .noFreePhysicalRange(pages: pages, below: PhysicalAddress(limit << 12)) }
        table.store = FrameStore(primaryBase: base)
        table.store.reserveCapacity(pages)
        for _ in 0..<pages { _ = table.store.appendPrimary() }
        // The hash table is the primary run's first pages (slot i at word 4i), the overflow
        // records the pages after it, in order: every record is at a word index.
        let tableBase = table.tableBase
        var nextOverflow = slots * 4
        var sizeCounts = [Int](repeating: 0, count: 8 * 64)
        table.store.updateMemory { memory in
            memory.set(invalidTag, from: 2, count: slots * 4 - 2, stride: 4)
            for (position, entry) in entries.enumerated() {
                let head = Int(entrySlots[position]) &* 4
                let tag = table.slotAndTag(entry).1
                let pte = IA64PageTableEntry(entry).rawValue, itir = UInt64(entry.size.shift) &<< 2
                if memory[head &+ 2] == invalidTag {
                    memory[head] = pte
                    memory[head &+ 1] = itir
                    memory[head &+ 2] = tag
                } else {
                    memory[nextOverflow] = pte
                    memory[nextOverflow &+ 1] = itir
                    memory[nextOverflow &+ 2] = tag
                    memory[nextOverflow &+ 3] = memory[head &+ 3]
                    memory[head &+ 3] = tableBase &+ UInt64(nextOverflow) &<< 3
                    nextOverflow &+= 4
                }
                sizeCounts[Int(entry.virtualAddress.rawValue &>> 61) &* 64 &+ Int(entry.size.shift)] &+= 1
            }
        }
        table.entryCount = entries.count
        table.sizeCounts = sizeCounts
        for region in 0..<8 {
            for shift in 0..<64 where sizeCounts[region * 64 + shift] > 0 { table.regionSizeMasks[region] |= 1 << UInt64(shift) }
        }
        var record = tableBase + UInt64(pages) << 12
        let firstFree = tableBase + UInt64(nextOverflow) << 3
        while record > firstFree {
            record -= 32
            table.freeRecords.append(record)
        }
        return table
    }

    /// The slot and tag an entry is stored under.
    @inline(__always)
    func slotAndTag(_ entry: MMUEntry) -> (Int, UInt64) {
        let address = entry.virtualAddress.rawValue
        return slotAndTag(offset: IA64Regions.implementedOffset(address) ?? 0, region: Int(address >> 61), size: entry.size)
    }

    /// A found record: where it is, its words, and how many records were inspected.
    struct Found {
        var address: UInt64
        var pte: UInt64
        var size: PageSize
        var level: Int
        var probes: Int
    }

    /// Finds the entry mapping `address` as the walker, then the miss handler, do.
    func lookup(_ address: UInt64) -> (found: Found?, probes: Int) {
        let region = Int(address >> 61)
        guard let offset = IA64Regions.implementedOffset(address) else { return (nil, 0) }
        let shift = UInt64(regionShifts[region])
        let rid = regionID(region)
        // The hardware walker: the hashed slot only, tag match required.
        let page = offset >> shift
        let index = Int(truncatingIfNeeded: hashFunction.hash(page: page, region: rid) & UInt64(slotCount - 1))
        if headWord(index, 2) == hashFunction.tag(page: page, region: rid),
            let recordSize = pageSizeByShift[Int(headWord(index, 1) >> 2 & 0x3F)]
        {
            return (Found(address: slotAddress(index), pte: headWord(index, 0), size: recordSize, level: 0, probes: 1), 1)
        }
        return handlerLookup(offset: offset, region: region)
    }

    /// The software miss handler, after the walker missed (one probe): each page size the region
    /// maps, smallest first, hashing the address aligned to that size and following the slot's
    /// chain for a matching tag and size.
    @inline(never)
    func handlerLookup(offset: UInt64, region: Int) -> (found: Found?, probes: Int) {
        let shift = UInt64(regionShifts[region])
        let rid = regionID(region)
        let mask = UInt64(slotCount - 1)
        let memory = store.memory
        var probes = 1
        var sizes = regionSizeMasks[region]
        while sizes != 0 {
            let sizeShift = UInt64(sizes.trailingZeroBitCount)
            sizes &= sizes &- 1
            let base = (offset & ~((1 << sizeShift) &- 1)) >> shift
            let slot = Int(truncatingIfNeeded: hashFunction.hash(page: base, region: rid) & mask)
            let tag = hashFunction.tag(page: base, region: rid)
            // Chain pointers of 0 end a chain; the slot itself may sit at physical address 0.
            var record = slotAddress(slot)
            var steps = 0
            while steps <= entryCount, let words = recordIndex(record) {
                probes += 1
                if memory[words &+ 2] == tag, memory[words &+ 1] >> 2 & 0x3F == sizeShift,
                    let size = pageSizeByShift[Int(sizeShift)]
                {
                    return (Found(address: record, pte: memory[words], size: size, level: 1, probes: probes), probes)
                }
                record = memory[words &+ 3]
                if record == 0 { break }
                steps += 1
            }
        }
        return (nil, probes)
    }

    /// The walker's hashed slot inline, for the common cases: a hit on a well-formed entry that
    /// allows the access, and a miss the handler would settle on this slot alone (the region
    /// maps only its preferred size and the slot's chain is empty). Everything else goes out of
    /// line through ``checkedTranslate(_:access:privilege:)``, which returns the same results
    /// for these cases and decides the others.
    @inline(__always)
    func translate(_ address: VirtualAddress, access: MemoryAccess, privilege: PrivilegeLevel) -> TranslationResult {
        let va = address.rawValue
        if let offset = IA64Regions.implementedOffset(va) {
            let region = Int(truncatingIfNeeded: va &>> 61)
            let rid = regionID(region)
            let shift = packedRegionShifts[region]
            let page = offset &>> shift
            let slot = Int(truncatingIfNeeded: hashFunction.hash(page: page, region: rid) & slotMask) &* 4
            // The hash table's words are in range by construction: slot < 4 * slotCount. (Read
            // through `store` each time: a local reference to the memory would be retained.)
            if store.memory.word(at: slot &+ 2) == hashFunction.tag(page: page, region: rid) {
                let pte = IA64PageTableEntry(rawValue: store.memory.word(at: slot))
                if pte.isWellFormedAndAccessed,
                    let size = pageSizeByShift[Int(truncatingIfNeeded: store.memory.word(at: slot &+ 1) &>> 2 & 0x3F)]
                {
                    let rights = pte.rights
                    if rights.allows(access, privilege) && (access != .write || pte.rawValue & IA64PageTableEntry.dirty != 0) {
                        let mask = (1 &<< UInt64(truncatingIfNeeded: size.shift)) &- 1
                        let physical = pte.rawValue & IA64PageTableEntry.physicalMask & ~mask | va & mask
                        return .mapped(Translation(physicalAddress: PhysicalAddress(physical), size: size, rights: rights, level: 0))
                    }
                }
            } else if store.memory.word(at: slot &+ 3) == 0 && regionSizeMasks[region] & ~(1 &<< shift) == 0 {
                // The handler would hash this same page (the only size the region maps), probe
                // this slot, miss its tag and find no chain.
                return .fault(TranslationFault(.notPresent, level: 1))
            }
        }
        return checkedTranslate(address, access: access, privilege: privilege)
    }

    /// The walk with every check in order: the walker's slot, then the miss handler, then the
    /// entry's verdict (not present, reserved bits, protection, access bit, dirty bit).
    @inline(never)
    func checkedTranslate(_ address: VirtualAddress, access: MemoryAccess, privilege: PrivilegeLevel) -> TranslationResult {
        let va = address.rawValue
        guard let offset = IA64Regions.implementedOffset(va) else { return .fault(TranslationFault(.nonCanonical, level: 0)) }
        let region = Int(truncatingIfNeeded: va &>> 61)
        let rid = regionID(region)
        let page = offset &>> UInt64(truncatingIfNeeded: regionShifts[region])
        let index = Int(truncatingIfNeeded: hashFunction.hash(page: page, region: rid) & slotMask)
        if headWord(index, 2) == hashFunction.tag(page: page, region: rid),
            let size = pageSizeByShift[Int(truncatingIfNeeded: headWord(index, 1) &>> 2 & 0x3F)]
        {
            return IA64PageTableEntry(rawValue: headWord(index, 0)).check(access, privilege, size: size, address: va, level: 0)
        }
        guard let found = handlerLookup(offset: offset, region: region).found else {
            return .fault(TranslationFault(.notPresent, level: 1))
        }
        return IA64PageTableEntry(rawValue: found.pte).check(access, privilege, size: found.size, address: va, level: found.level)
    }
}
