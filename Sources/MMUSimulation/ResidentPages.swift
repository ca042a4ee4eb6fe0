import MMUCore

/// The pages an address space has mapped: the simulation's own copy of its set's entries, kept
/// in step with every transaction, so that a memory access needs no query of the set.
struct ResidentPages: Hashable, Sendable {
    /// A 4 KiB page: its frame, and whether it reserves the frame's 2 MiB block (see ``FramePool``).
    struct SmallPage: Hashable, Sendable {
        var frame: UInt64
        var reserves: Bool
    }

    /// 4 KiB pages by page number.
    private(set) var small: [UInt64: SmallPage] = [:]
    /// 2 MiB pages: first frame of the block, by region (page number / 512).
    private(set) var large: [UInt64: UInt64] = [:]
    /// The number of 4 KiB pages in each region.
    private(set) var population: [UInt64: Int] = [:]
    /// For regions where it is known: the lowest page that reserves a block, and that block.
    private var reservationHint: [UInt64: (page: UInt64, block: UInt64)] = [:]

    static func region(of page: UInt64) -> UInt64 { page / FramePool.blockPages }

    /// The number of 4 KiB pages mapped, counting a 2 MiB page as 512.
    var pageCount: Int { small.count + large.count * Int(FramePool.blockPages) }

    /// The frame mapped at `page`, if any.
    func frame(at page: UInt64) -> UInt64? {
        if let block = large[Self.region(of: page)] { return block + page % FramePool.blockPages }
        return small[page]?.frame
    }

    /// Whether `page` is mapped.
    func isMapped(_ page: UInt64) -> Bool {
        small[page] != nil || large[Self.region(of: page)] != nil
    }

    mutating func insertSmall(_ page: UInt64, frame: UInt64, reserves: Bool) {
        small[page] = SmallPage(frame: frame, reserves: reserves)
        let region = Self.region(of: page)
        population[region, default: 0] += 1
        if reserves, reservationHint[region].map({ page < $0.page }) ?? (population[region] == 1) {
            reservationHint[region] = (page, FramePool.block(of: frame))
        }
    }

    @discardableResult
    mutating func removeSmall(_ page: UInt64) -> SmallPage? {
        guard let removed = small.removeValue(forKey: page) else { return nil }
        let region = Self.region(of: page)
        let remaining = population[region, default: 1] - 1
        population[region] = remaining == 0 ? nil : remaining
        if reservationHint[region]?.page == page || remaining == 0 { reservationHint[region] = nil }
        return removed
    }

    mutating func insertLarge(region: UInt64, block: UInt64) {
        large[region] = block
    }

    mutating func removeLarge(region: UInt64) {
        large[region] = nil
    }

    /// The block the region's pages reserve: that of its lowest reserving page.
    ///
    /// - Complexity: O(1) when known, else O(512).
    mutating func reservedBlock(ofRegion region: UInt64) -> UInt64? {
        guard population[region] != nil else { return nil }
        if let hint = reservationHint[region] { return hint.block }
        let first = region * FramePool.blockPages
        for page in first..<(first + FramePool.blockPages) {
            if let found = small[page], found.reserves {
                reservationHint[region] = (page, FramePool.block(of: found.frame))
                return FramePool.block(of: found.frame)
            }
        }
        return nil
    }

    /// The 4 KiB pages inside `range`, sorted.
    ///
    /// - Complexity: O(min(*r*, *n*) + *k* log *k*) for a range of *r* pages and *n* pages mapped.
    func smallPages(in range: VirtualRange) -> [UInt64] {
        let pages: [UInt64]
        if range.pageCount <= UInt64(small.count) {
            pages = range.pages.filter { small[$0] != nil }
        } else {
            pages = small.keys.filter { range.pages.contains($0) }
        }
        return pages.sorted()
    }

    /// The regions of 2 MiB pages that overlap `range`, sorted.
    func largeRegions(overlapping range: VirtualRange) -> [UInt64] {
        let first = Self.region(of: range.lowerPage)
        let last = Self.region(of: range.upperPage - 1)
        let regions: [UInt64]
        if last - first + 1 <= UInt64(large.count) {
            regions = (first...last).filter { large[$0] != nil }
        } else {
            regions = large.keys.filter { (first...last).contains($0) }
        }
        return regions.sorted()
    }

    /// The regions with 4 KiB pages that overlap `range`, sorted.
    func populatedRegions(overlapping range: VirtualRange) -> [UInt64] {
        let first = Self.region(of: range.lowerPage)
        let last = Self.region(of: range.upperPage - 1)
        let regions: [UInt64]
        if last - first + 1 <= UInt64(population.count) {
            regions = (first...last).filter { population[$0] != nil }
        } else {
            regions = population.keys.filter { (first...last).contains($0) }
        }
        return regions.sorted()
    }

    /// Every entry, sorted by address, with the protection of the area that holds it.
    func entries(in areas: AreaMap) -> [MMUEntry] {
        var entries: [MMUEntry] = []
        entries.reserveCapacity(small.count + large.count)
        for (page, value) in small {
            entries.append(
                MMUEntry(
                    VirtualAddress(pageNumber: page), to: PhysicalAddress(frameNumber: value.frame),
                    protection: areas.area(containing: page)?.protection ?? []))
        }
        for (region, block) in large {
            let page = region * FramePool.blockPages
            entries.append(
                MMUEntry(
                    VirtualAddress(pageNumber: page), to: PhysicalAddress(frameNumber: block), size: .size2MiB,
                    protection: areas.area(containing: page)?.protection ?? []))
        }
        return entries.sorted { $0.pageNumber < $1.pageNumber }
    }

    static func == (lhs: ResidentPages, rhs: ResidentPages) -> Bool {
        lhs.small == rhs.small && lhs.large == rhs.large
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(small)
        hasher.combine(large)
    }
}
