import MMUCore

/// What a capture knows about where the page tables map 2 MiB pages, from the best source the
/// kernel offers.
enum HugeMappingEvidence: Hashable, Sendable {
    /// `PAGEMAP_SCAN` listed the page ranges mapped by huge entries: exact, `/proc/kpageflags`
    /// is not needed.
    case pageTables([Range<UInt64>])
    /// Only the areas starting at these pages hold PMD-mapped memory (their `AnonHugePages`,
    /// `ShmemPmdMapped`, `FilePmdMapped` or hugetlb sizes in `/proc/PID/smaps` are not zero). In
    /// them a 2 MiB run of contiguous frames whose head `/proc/kpageflags` marks as a huge page is
    /// taken for one 2 MiB entry, which is right unless such a page was split at the PMD level in
    /// an area that still holds other PMD mappings (this cannot be known without `PAGEMAP_SCAN`).
    case areas(Set<UInt64>)

    /// Whether the page at `page` may be mapped by a huge entry, for a mapping starting at `areaStart`.
    func allowsHugeEntry(at page: UInt64, inAreaStartingAt areaStart: UInt64) -> Bool {
        switch self {
        case .pageTables(let ranges):
            var low = 0, high = ranges.count
            while low < high {
                let middle = (low + high) / 2
                if ranges[middle].upperBound <= page { low = middle + 1 } else { high = middle }
            }
            return low < ranges.count && ranges[low].contains(page) && ranges[low].upperBound - page >= PageSize.size2MiB.pageCount
        case .areas(let starts):
            return starts.contains(areaStart)
        }
    }

    /// Whether the evidence comes from the page tables themselves.
    var isExact: Bool {
        if case .pageTables = self { return true }
        return false
    }

    /// The areas of a smaps text that hold PMD-mapped memory, by their first page.
    static func areas(fromSmaps text: String) -> HugeMappingEvidence {
        var starts: Set<UInt64> = []
        var current: UInt64?
        for line in text.split(separator: "\n") {
            if let dash = line.firstIndex(of: "-"), let start = UInt64(line[..<dash], radix: 16), line.contains(" ") {
                current = start >> PageSize.minimumShift
                continue
            }
            guard let current, let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon]
            guard ["AnonHugePages", "ShmemPmdMapped", "FilePmdMapped", "Private_Hugetlb", "Shared_Hugetlb"].contains(key) else { continue }
            let value = line[line.index(after: colon)...].split(separator: " ").first.flatMap { UInt64($0) } ?? 0
            if value > 0 { starts.insert(current) }
        }
        return .areas(starts)
    }
}
