import MMUCore

/// The PowerPC Book3S-64 hashed page table (HTAB): PTEGs of 8 HPTEs of 16 bytes, big-endian
/// doublewords (HARDWARE-FORMATS.md §6).
///
/// - Segments are 256 MiB with VSIDs from ``PPC64Segment`` (Linux's scramble, context 0); a
///   segment's pages all have its base page size (the segment rule; mixing fails the build
///   unless splitting is allowed, which splits the segment to its smallest size).
/// - Hash (architected): `VSID ^ (EA[27:0] >> p)`, 39 bits; primary PTEG `hash & (n − 1)`,
///   secondary `~hash & (n − 1)`. An entry goes to a free HPTE of its primary group (H = 0),
///   else of its secondary group (H = 1); when both are full the table doubles and is rebuilt.
/// - Size: at least 2^11 PTEGs (256 KiB, HTABSIZE 0) and at least one PTEG per four entries
///   (load ≤ 1/2); placed at a physical address aligned to its size; SDR1 = HTABORG | HTABSIZE.
/// - Walk: primary group then secondary, first HPTE whose V, H, B and AVPN match and whose
///   L/LP size equals the segment's base size; R and C are set by hardware, never faulting.
final class PPC64HashedPageTable: TableEngine, @unchecked Sendable {  // changed only through a uniquely referenced table value (copy-on-write)
    let format: PageTableFormat
    let options: BuildOptions
    @exclusivity(unchecked) var store: FrameStore
    /// The number of PTEGs (a power of two).
    let groupCount: Int
    /// The base page size of each segment in use (the SLB contents), by ESID.
    @exclusivity(unchecked) var segments: [UInt64: PageSize] {
        didSet { segmentShifts = Self.shiftMap(segments) }
    }
    /// ``segments`` as ESID → page shift, for walks.
    @exclusivity(unchecked) private(set) var segmentShifts: IntegerMap
    /// Page sizes by shift, without a global's lazy-initialization check on walk paths.
    let pageSizeByShift: [PageSize?] = PageSize.byShift
    /// Entries per segment.
    @exclusivity(unchecked) var segmentCounts: [UInt64: Int]
    @exclusivity(unchecked) var entryCount: Int
    @exclusivity(unchecked) var occupancy: FrameOccupancy?

    init(format: PageTableFormat, options: BuildOptions, store: FrameStore, groupCount: Int, segments: [UInt64: PageSize], segmentCounts: [UInt64: Int], entryCount: Int, occupancy: FrameOccupancy?) {
        self.format = format
        self.options = options
        self.store = store
        self.groupCount = groupCount
        self.segments = segments
        self.segmentShifts = Self.shiftMap(segments)
        self.segmentCounts = segmentCounts
        self.entryCount = entryCount
        self.occupancy = occupancy
    }

    /// An independent copy (the wrapper's copy-on-write).
    func copy() -> PPC64HashedPageTable { PPC64HashedPageTable(format: format, options: options, store: store, groupCount: groupCount, segments: segments, segmentCounts: segmentCounts, entryCount: entryCount, occupancy: occupancy) }

    static let minimumGroups = 1 << 11

    /// ESID → page shift.
    static func shiftMap(_ segments: [UInt64: PageSize]) -> IntegerMap {
        var map = IntegerMap()
        for (esid, size) in segments { map[esid] = Int(size.shift) }
        return map
    }

    /// The number of HTAB pages.
    var tablePages: Int { groupCount / 32 }
    /// HTABORG.
    var tableBase: UInt64 { store.primaryBase << 12 }

    /// Word `word` (0 or 1) of HPTE `slot` (0..<8) of group `group`.
    @inline(__always)
    func hpte(_ group: Int, _ slot: Int, _ word: Int) -> UInt64 {
        let index = group << 4 | slot << 1 | word
        return store[index >> 9, index & 511]
    }

    @inline(__always)
    func setHPTE(_ group: Int, _ slot: Int, _ first: UInt64, _ second: UInt64) {
        let index = group << 4 | slot << 1
        store[index >> 9, index & 511] = first
        store[index >> 9, index & 511 | 1] = second
    }

    /// The primary hash of a page.
    @inline(__always)
    static func hash(vsid: UInt64, effectiveAddress ea: UInt64, size: PageSize) -> UInt64 {
        (vsid ^ ((ea & 0x0FFF_FFFF) >> UInt64(size.shift))) & 0x7F_FFFF_FFFF
    }

    /// Builds the table, doubling it until every entry finds an HPTE.
    static func build(format: PageTableFormat, entries: [MMUEntry], options: BuildOptions) throws(PageTableError) -> PPC64HashedPageTable {
        var segments: [UInt64: PageSize] = [:]
        var counts: [UInt64: Int] = [:]
        // Entries are sorted, so each segment's entries are consecutive.
        var current: (esid: UInt64, count: Int)? = nil
        for entry in entries {
            let esid = entry.virtualAddress.rawValue >> PPC64Segment.shift
            if let run = current, run.esid == esid {
                current = (esid, run.count + 1)
                continue
            }
            if let run = current { counts[run.esid] = run.count }
            segments[esid] = entry.size
            current = (esid, 1)
        }
        if let run = current { counts[run.esid] = run.count }
        var groups = minimumGroups
        while groups * 4 < entries.count { groups <<= 1 }
        while groups <= 1 << 39 {
            let pages = groups / 32
            let limit = options.tablePlacementLimit >> 12
            guard
                let base = PhysicalPlacement(avoiding: entries).lowestFreeRange(
                    count: pages, alignment: UInt64(pages), limit: limit)
            else { throw .noFreePhysicalRange(pages: pages, below: PhysicalAddress(limit << 12)) }
            let table = PPC64HashedPageTable(
                format: format, options: options, store: FrameStore(primaryBase: base), groupCount: groups,
                segments: segments, segmentCounts: counts, entryCount: 0, occupancy: nil)
            table.store.reserveCapacity(pages)
            for _ in 0..<pages { _ = table.store.appendPrimary() }
            if table.insertAll(entries) { return table }
            groups <<= 1
        }
        throw .hashTableFull(entries: entries.count, format: format.name)
    }

    /// Inserts entries; `false` when a primary and secondary group are both full.
    func insertAll(_ entries: [MMUEntry]) -> Bool {
        for entry in entries where !insert(entry) { return false }
        return true
    }

    /// Inserts one entry into a free HPTE of its primary, else secondary, group.
    func insert(_ entry: MMUEntry) -> Bool {
        let ea = entry.virtualAddress.rawValue
        let vsid = PPC64Segment.vsid(esid: ea >> PPC64Segment.shift)
        let hash = Self.hash(vsid: vsid, effectiveAddress: ea, size: entry.size)
        let mask = UInt64(groupCount - 1)
        for pass in 0..<2 {
            let isSecondary = pass == 1
            let group = Int((isSecondary ? ~hash : hash) & mask)
            for slot in 0..<8 where hpte(group, slot, 0) & PPC64HPTE.valid == 0 {
                setHPTE(
                    group, slot, PPC64HPTE.first(vsid: vsid, effectiveAddress: ea, size: entry.size, secondary: isSecondary),
                    PPC64HPTE.second(entry))
                entryCount += 1
                return true
            }
        }
        return false
    }

    /// A found HPTE.
    struct Found {
        var group: Int
        var slot: Int
        var second: UInt64
        var isSecondary: Bool
        var probes: Int
    }

    /// Searches the primary, then the secondary, PTEG for the page of `size` containing `ea`.
    @inline(__always)
    func search(_ ea: UInt64, size: PageSize) -> (found: Found?, probes: Int) {
        let vsid = PPC64Segment.vsid(esid: ea >> PPC64Segment.shift)
        let hash = Self.hash(vsid: vsid, effectiveAddress: ea, size: size)
        let mask = UInt64(groupCount - 1)
        var probes = 0
        for pass in 0..<2 {
            let isSecondary = pass == 1
            let expected = PPC64HPTE.first(vsid: vsid, effectiveAddress: ea, size: size, secondary: isSecondary)
            let group = Int((isSecondary ? ~hash : hash) & mask)
            // The HPTEs of the group whose doubleword 0 matches, found without a branch per
            // HPTE (the hash table is the primary run's first pages: HPTE i of group g at word
            // 16g + 2i, in range since g < groupCount); then the first of them, in order, that
            // also has the size.
            let base = group &<< 4
            var matches: UInt32 = 0
            for slot in 0..<8 {
                let first = store.memory.word(at: base &+ slot &<< 1)
                matches |= ((first ^ expected) & PPC64HPTE.compareMask == 0 ? 1 : 0) &<< UInt32(slot)
            }
            while matches != 0 {
                let slot = matches.trailingZeroBitCount
                matches &= matches &- 1
                let first = store.memory.word(at: base &+ slot &<< 1), second = store.memory.word(at: base &+ slot &<< 1 &+ 1)
                guard PPC64HPTE.sizeShift(first: first, second: second) == size.shift,
                    first & PPC64HPTE.large == expected & PPC64HPTE.large
                else { continue }
                probes += slot + 1
                return (Found(group: group, slot: slot, second: second, isSecondary: isSecondary, probes: probes), probes)
            }
            probes += 8
        }
        return (nil, probes)
    }

    @inline(__always)
    func translate(_ address: VirtualAddress, access: MemoryAccess, privilege: PrivilegeLevel) -> TranslationResult {
        let ea = address.rawValue
        // No SLB entry for the segment: a segment fault, reported as not present.
        guard let shift = segmentShifts[ea >> PPC64Segment.shift], let size = pageSizeByShift[shift] else {
            return .fault(TranslationFault(.notPresent, level: 0))
        }
        guard let found = search(ea, size: size).found else { return .fault(TranslationFault(.notPresent, level: 0)) }
        let level = found.isSecondary ? 1 : 0
        let rights = PPC64HPTE.rights(found.second)
        guard rights.allows(access, privilege) else { return .fault(TranslationFault(.protection, level: level)) }
        let offsetMask = (1 &<< UInt64(truncatingIfNeeded: size.shift)) &- 1
        let physical = found.second & PPC64HPTE.rpnMask & ~offsetMask | (ea & offsetMask)
        return .mapped(Translation(physicalAddress: PhysicalAddress(physical), size: size, rights: rights, level: level))
    }
}
