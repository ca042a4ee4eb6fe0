import MMUCore

/// The memory areas (VMAs) of one simulated address space: sorted, never overlapping, merged
/// where Linux would merge them.
///
/// Two adjacent areas merge when they agree in kind, protection, sharing and name, except file
/// areas: ``MemoryArea`` does not record the file offset, so a restored simulation could not
/// tell whether two pieces of a file are contiguous in it; file areas therefore stay as they
/// were mapped or split (where `/proc/PID/maps` may show them merged).
struct AreaMap: Hashable, Sendable {
    /// The areas, sorted by address.
    private(set) var areas: [MemoryArea]

    init(_ areas: [MemoryArea] = []) {
        self.areas = areas.sorted { $0.range.lowerPage < $1.range.lowerPage }
    }

    /// The index of the area that holds `page`.
    ///
    /// - Complexity: O(log *n*).
    func index(containing page: UInt64) -> Int? {
        let index = firstIndex(endingAfter: page)
        guard index < areas.count, areas[index].range.lowerPage <= page else { return nil }
        return index
    }

    /// The area that holds `page`.
    func area(containing page: UInt64) -> MemoryArea? {
        index(containing: page).map { areas[$0] }
    }

    /// The areas that overlap `range`, sorted.
    ///
    /// - Complexity: O(log *n* + *k*).
    func areas(overlapping range: VirtualRange) -> ArraySlice<MemoryArea> {
        let first = firstIndex(endingAfter: range.lowerPage)
        var last = first
        while last < areas.count, areas[last].range.lowerPage < range.upperPage { last += 1 }
        return areas[first..<last]
    }

    /// Whether no area overlaps `range`.
    func isFree(_ range: VirtualRange) -> Bool {
        areas(overlapping: range).isEmpty
    }

    /// The number of pages of `range` that no area covers.
    func uncoveredPageCount(in range: VirtualRange) -> UInt64 {
        range.pageCount - areas(overlapping: range).reduce(0) { $0 + ($1.range.intersection(range)?.pageCount ?? 0) }
    }

    /// Removes `range` from every area, splitting those that stick out of it.
    ///
    /// - Complexity: O(*n*).
    mutating func remove(_ range: VirtualRange) {
        rebuild(range) { area in
            var pieces: [MemoryArea] = []
            if area.range.lowerPage < range.lowerPage { pieces.append(area.restricted(to: area.range.lowerPage..<range.lowerPage)) }
            if area.range.upperPage > range.upperPage { pieces.append(area.restricted(to: range.upperPage..<area.range.upperPage)) }
            return pieces
        }
    }

    /// Adds an area over pages no area covers, merging it with its neighbours where allowed.
    ///
    /// - Complexity: O(*n*).
    mutating func insert(_ area: MemoryArea) {
        assert(isFree(area.range), "area \(area.range) overlaps")
        areas.insert(area, at: firstIndex(endingAfter: area.range.lowerPage))
        mergeAround(area.range)
    }

    /// Gives the parts of areas inside `range` a new protection, splitting and merging as needed.
    ///
    /// - Complexity: O(*n*).
    mutating func protect(_ range: VirtualRange, _ protection: Protection) {
        rebuild(range) { area in
            var pieces: [MemoryArea] = []
            if area.range.lowerPage < range.lowerPage { pieces.append(area.restricted(to: area.range.lowerPage..<range.lowerPage)) }
            var inside = area.restricted(to: range.pages)
            inside.protection = protection
            pieces.append(inside)
            if area.range.upperPage > range.upperPage { pieces.append(area.restricted(to: range.upperPage..<area.range.upperPage)) }
            return pieces
        }
        mergeAround(range)
    }

    /// Replaces the areas overlapping `range` by what `transform` makes of each.
    private mutating func rebuild(_ range: VirtualRange, _ transform: (MemoryArea) -> [MemoryArea]) {
        let first = firstIndex(endingAfter: range.lowerPage)
        var last = first
        while last < areas.count, areas[last].range.lowerPage < range.upperPage { last += 1 }
        guard first < last else { return }
        areas.replaceSubrange(first..<last, with: areas[first..<last].flatMap(transform))
    }

    /// Merges mergeable neighbours among the areas overlapping or touching `range`.
    private mutating func mergeAround(_ range: VirtualRange) {
        var index = max(0, firstIndex(endingAfter: range.lowerPage) - 1)
        while index + 1 < areas.count, areas[index].range.lowerPage <= range.upperPage {
            if Self.canMerge(areas[index], areas[index + 1]) {
                let merged = areas[index].range.lowerPage..<areas[index + 1].range.upperPage
                areas[index].range = VirtualRange(pages: merged)
                areas.remove(at: index + 1)
            } else {
                index += 1
            }
        }
    }

    /// Whether `lower` and the area right after it would be one area in Linux (see the type).
    static func canMerge(_ lower: MemoryArea, _ upper: MemoryArea) -> Bool {
        lower.range.upperPage == upper.range.lowerPage && lower.kind == upper.kind && lower.kind != .file
            && lower.protection == upper.protection && lower.isShared == upper.isShared && lower.name == upper.name
    }

    /// The index of the first area whose end is above `page`.
    private func firstIndex(endingAfter page: UInt64) -> Int {
        var low = 0, high = areas.count
        while low < high {
            let middle = (low + high) / 2
            if areas[middle].range.upperPage <= page { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Where Linux's top-down allocator (`get_unmapped_area`) would put `pageCount` pages:
    /// the highest gap that ends at or below `ceiling` and holds them.
    ///
    /// - Complexity: O(*n*).
    func topDownGap(pageCount: UInt64, below ceiling: UInt64, above floor: UInt64) -> UInt64? {
        var top = ceiling
        for area in areas.reversed() {
            if area.range.lowerPage >= top { continue }
            if area.range.upperPage <= top, top - area.range.upperPage >= pageCount {
                return top - pageCount
            }
            top = min(top, area.range.lowerPage)
        }
        return top >= floor + pageCount ? top - pageCount : nil
    }
}
