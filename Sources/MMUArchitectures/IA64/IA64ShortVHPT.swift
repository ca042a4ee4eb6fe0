import MMUCore

/// The IA-64 short-format VHPT (PTA.vf = 0): in each region, a virtually linear table of 8-byte
/// PTEs, one per page of the region's preferred size (HARDWARE-FORMATS.md §5 "Short-format
/// VHPT").
///
/// - Region *n* has RID *n*, `ve` = 1, and `ps` = the page size of its entries: a region holds
///   pages of one size only (the region rule). Building a set that mixes sizes in a region
///   fails unless splitting is allowed, which splits the region's pages to its smallest size.
/// - PTA: size 42 (enough for 4 KiB pages over 51 implemented bits), base `2^61 − 2^42`, so each
///   region's table window is the top 4 TiB of the region, as Linux places it; pages inside the
///   window cannot be mapped (``RejectedEntry/Reason/insideLinearTableWindow``).
/// - Only the 4 KiB pages of the linear table that hold entries exist; the manifest's
///   `tableMappings` says which physical table page backs each virtual table page (the
///   translations an OS keeps for the VHPT, e.g. in a translation register or through Linux's
///   nested `vhpt_miss`).
/// - Walk: `thash` address of the VA in its region; a virtual table page without backing, or a
///   PTE with p = 0, is a miss: not present.
final class IA64ShortVHPT: TableEngine, @unchecked Sendable {  // changed only through a uniquely referenced table value (copy-on-write)
    let format: PageTableFormat
    let options: BuildOptions
    @exclusivity(unchecked) var store: FrameStore
    /// RR.ps of each region.
    @exclusivity(unchecked) var regionShifts: [UInt8]
    /// Entries per region.
    @exclusivity(unchecked) var regionCounts: [Int]
    /// Virtual page number of a table page → its slot in the store.
    @exclusivity(unchecked) var pages: IntegerMap
    @exclusivity(unchecked) var entryCount: Int
    @exclusivity(unchecked) var occupancy: FrameOccupancy?

    /// log2 of the table window per region (PTA.size).
    init(format: PageTableFormat, options: BuildOptions, store: FrameStore, regionShifts: [UInt8], regionCounts: [Int], pages: IntegerMap, entryCount: Int, occupancy: FrameOccupancy?) {
        self.format = format
        self.options = options
        self.store = store
        self.regionShifts = regionShifts
        self.regionCounts = regionCounts
        self.pages = pages
        self.entryCount = entryCount
        self.occupancy = occupancy
    }

    /// An independent copy (the wrapper's copy-on-write).
    func copy() -> IA64ShortVHPT { IA64ShortVHPT(format: format, options: options, store: store, regionShifts: regionShifts, regionCounts: regionCounts, pages: pages, entryCount: entryCount, occupancy: occupancy) }

    /// The size of each region's table window, from the architecture (42: 4 TiB).
    static let windowBits = UInt64(Architecture.ia64ShortVHPT.tableWindowBits!)
    /// PTA.base: the top 2^42 bytes of the region.
    static let windowBase: UInt64 = (1 << 61) - (1 << windowBits)
    static let defaultRegionShift: UInt8 = 14

    /// Whether an entry overlaps its region's table window.
    static func isInsideWindow(_ entry: MMUEntry) -> Bool { Architecture.ia64ShortVHPT.overlapsTableWindow(entry.range) }

    /// The virtual address of the PTE for the page containing implemented offset `offset`.
    @inline(__always)
    static func pteAddress(region: Int, offset: UInt64, shift: UInt8) -> UInt64 {
        UInt64(region) << 61 | (windowBase + (offset >> UInt64(shift)) << 3)
    }

    static func build(format: PageTableFormat, entries: [MMUEntry], options: BuildOptions) throws(PageTableError) -> IA64ShortVHPT {
        var shifts = [UInt8](repeating: defaultRegionShift, count: 8)
        var counts = [Int](repeating: 0, count: 8)
        for entry in entries {
            let region = Int(entry.virtualAddress.rawValue >> 61)
            shifts[region] = entry.size.shift
            counts[region] += 1
        }
        var count = 0
        var last = UInt64.max
        for entry in entries {
            let key = Self.pageKey(entry, shifts: shifts)
            if key != last {
                count += 1
                last = key
            }
        }
        let limit = options.tablePlacementLimit >> 12
        guard let base = PhysicalPlacement(avoiding: entries).lowestFreeRange(count: count, limit: limit) else {
            throw .noFreePhysicalRange(pages: count, below: PhysicalAddress(limit << 12))
        }
        let table = IA64ShortVHPT(
            format: format, options: options, store: FrameStore(primaryBase: base), regionShifts: shifts,
            regionCounts: counts, pages: IntegerMap(), entryCount: 0, occupancy: nil)
        table.store.reserveCapacity(count)
        last = UInt64.max
        var slot = 0
        for entry in entries {
            let pte = Self.pteAddress(entry, shifts: shifts)
            if pte >> 12 != last {
                last = pte >> 12
                slot = table.store.appendPrimary()
                table.pages[last] = slot
            }
            table.store[slot, Int(pte & 0xFFF) >> 3] = IA64PageTableEntry(entry).rawValue
            table.entryCount += 1
        }
        return table
    }

    static func pteAddress(_ entry: MMUEntry, shifts: [UInt8]) -> UInt64 {
        let address = entry.virtualAddress.rawValue
        let region = Int(address >> 61)
        return pteAddress(region: region, offset: IA64Regions.implementedOffset(address) ?? 0, shift: shifts[region])
    }

    static func pageKey(_ entry: MMUEntry, shifts: [UInt8]) -> UInt64 { pteAddress(entry, shifts: shifts) >> 12 }

    func translate(_ address: VirtualAddress, access: MemoryAccess, privilege: PrivilegeLevel) -> TranslationResult {
        let va = address.rawValue
        guard let offset = IA64Regions.implementedOffset(va) else { return .fault(TranslationFault(.nonCanonical, level: 0)) }
        let region = Int(va >> 61)
        let shift = regionShifts[region]
        let pte = Self.pteAddress(region: region, offset: offset, shift: shift)
        guard let slot = pages[pte >> 12], let size = PageSize.byShift[Int(shift)] else {
            return .fault(TranslationFault(.notPresent, level: 0))
        }
        return IA64PageTableEntry(rawValue: store[slot, Int(pte & 0xFFF) >> 3]).check(access, privilege, size: size, address: va, level: 0)
    }

    /// Every present PTE with the virtual address of the page it maps.
    ///
    /// - Throws: ``ImageError/malformedEntry(entryAddress:bits:)`` for a malformed PTE or one
    ///   mapping outside the implemented addresses.
    func presentEntries() throws(ImageError) -> [(address: UInt64, pte: UInt64, physical: UInt64)] {
        var result: [(UInt64, UInt64, UInt64)] = []
        result.reserveCapacity(entryCount)
        for (page, slot) in pages.pairs {
            let region = Int(page >> 49)
            let first = ((page << 12) & ((1 << 61) - 1)) - Self.windowBase
            for word in 0..<FrameStore.wordsPerPage {
                let raw = store[slot, word]
                let pte = IA64PageTableEntry(rawValue: raw)
                guard pte.isPresent else { continue }
                let physical = store.frame(ofSlot: slot) << 12 + UInt64(word * 8)
                let offset = ((first >> 3) + UInt64(word)) << UInt64(regionShifts[region])
                guard !pte.isMalformed, offset >> IA64Regions.implementedBits == 0 else {
                    throw .malformedEntry(entryAddress: PhysicalAddress(physical), bits: raw)
                }
                result.append((IA64Regions.address(region: region, offset: offset), raw, physical))
            }
        }
        return result.sorted { $0.0 < $1.0 }
    }
}
