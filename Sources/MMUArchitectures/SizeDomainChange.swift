import MMUCore

/// How a change's additions fit the size domains of a hashed table that keeps one page size
/// per domain (an IA-64 short-format region, a PowerPC segment; see
/// ``MMUCore/Architecture/sizeDomainBits``): the part of the incremental apply both formats
/// share.
///
/// A domain the removals leave empty takes the smallest size added to it; a domain that keeps
/// entries keeps its size. An added page larger than its domain's size is split with the split
/// option; one smaller needs the table rebuilt; without the option both are rejected.
struct SizeDomainChange {
    /// The page size of each domain after the change, by group key.
    private(set) var sizes: [UInt64: PageSize]
    /// The additions as the domains take them, sorted.
    private(set) var additions: [MMUEntry] = []
    /// Whether a domain that keeps entries must take a smaller page: only a rebuild can do it.
    private(set) var needsRebuild = false

    /// Plans adding `sorted` (sorted by address) to domains of `sizes`, of which `remaining`
    /// entries stay after the removals.
    ///
    /// - Throws: ``PageTableError/unrepresentable(_:format:)`` for an entry the format cannot
    ///   hold, or that mixes sizes in a domain without the split option.
    init(
        adding sorted: [MMUEntry], to sizes: [UInt64: PageSize], remaining: [UInt64: Int], format: PageTableFormat,
        options: BuildOptions
    ) throws(PageTableError) {
        // Single entries (canonical, width, size) first; the domain rule is checked below
        // against what the domains keep.
        let basic = format.rejections(sorted).filter {
            switch $0.reason {
            case .regionPageSizeConflict, .segmentPageSizeConflict: false
            default: true
            }
        }
        guard basic.isEmpty else { throw .unrepresentable(basic, format: format.name) }
        self.sizes = sizes
        var smallest: [UInt64: PageSize] = [:]
        for entry in sorted {
            guard let key = format.groupKey(entry) else { continue }
            smallest[key] = min(smallest[key] ?? entry.size, entry.size)
        }
        for (key, size) in smallest where remaining[key, default: 0] == 0 { self.sizes[key] = size }
        var conflicts: [RejectedEntry] = []
        for entry in sorted {
            guard let key = format.groupKey(entry), let size = self.sizes[key] else { continue }
            if entry.size == size {
                additions.append(entry)
            } else if options.splitsUnsupportedPages {
                if entry.size > size { additions += format.split(entry, to: size) } else { needsRebuild = true }
            } else {
                conflicts.append(format.sizeDomainConflict(entry, group: key, sizes: [size, entry.size].sorted()))
            }
        }
        guard conflicts.isEmpty else { throw .unrepresentable(conflicts, format: format.name) }
    }
}
