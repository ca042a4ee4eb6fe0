import MMUCore

extension PageTableFormat {
    /// The entries of `entries` (sorted by virtual address) this format cannot hold, each with
    /// its reason; empty when all can be encoded.
    ///
    /// - Complexity: O(*n*).
    public func rejections(_ entries: [MMUEntry]) -> [RejectedEntry] {
        var rejected: [RejectedEntry] = []
        for entry in entries {
            if let reason = basicRejection(entry, allowingUnsupportedSize: false) { rejected.append(RejectedEntry(entry, reason)) }
        }
        rejected += groupRejections(entries)
        return rejected
    }

    /// The entries ready to encode: checked, and split when `options` allow, in address order.
    ///
    /// - Throws: ``PageTableError/unrepresentable(_:format:)`` listing every offending entry.
    /// - Complexity: O(*n*) plus the pieces produced by splitting.
    func prepared(_ entries: [MMUEntry], options: BuildOptions) throws(PageTableError) -> [MMUEntry] {
        guard options.splitsUnsupportedPages else {
            let rejected = rejections(entries)
            guard rejected.isEmpty else { throw .unrepresentable(rejected, format: name) }
            return entries
        }
        var rejected: [RejectedEntry] = []
        var result: [MMUEntry] = []
        var changed = false
        result.reserveCapacity(entries.count)
        for entry in entries {
            if let reason = basicRejection(entry, allowingUnsupportedSize: true) {
                rejected.append(RejectedEntry(entry, reason))
            } else if architecture.supports(entry.size) {
                result.append(entry)
            } else {
                changed = true
                for piece in split(entry, to: pageSizes.last { $0 < entry.size } ?? .size4KiB) {
                    if let reason = basicRejection(piece, allowingUnsupportedSize: false) {
                        rejected.append(RejectedEntry(entry, reason))
                        break
                    }
                    result.append(piece)
                }
            }
        }
        guard rejected.isEmpty else { throw .unrepresentable(rejected, format: name) }
        let groups = groupMinimumSizes(result)
        guard !groups.isEmpty else { return changed ? result : entries }
        var regrouped: [MMUEntry] = []
        regrouped.reserveCapacity(result.count)
        for entry in result {
            if let key = groupKey(entry), let minimum = groups[key], minimum < entry.size {
                regrouped += split(entry, to: minimum)
            } else {
                regrouped.append(entry)
            }
        }
        return regrouped
    }

    /// Why a single entry cannot be encoded, ignoring region and segment rules.
    private func basicRejection(_ entry: MMUEntry, allowingUnsupportedSize: Bool) -> RejectedEntry.Reason? {
        guard entry.virtualAddress.isAligned(to: entry.size), entry.physicalAddress.isAligned(to: entry.size) else {
            return .misaligned
        }
        guard architecture.addressing.isValid(entry.range) else { return .nonCanonical }
        if case .ia64Short = family, IA64ShortVHPT.isInsideWindow(entry) { return .insideLinearTableWindow }
        let bits = physicalAddressBits(for: architecture.supports(entry.size) ? entry.size : .size4KiB)
        let end = entry.physicalAddress.rawValue &+ (entry.size.byteCount - 1)
        if bits < 64, end >> UInt64(bits) != 0 || end < entry.physicalAddress.rawValue {
            return .frameBeyondPhysicalWidth(bits: bits)
        }
        if !allowingUnsupportedSize && !architecture.supports(entry.size) { return .unsupportedPageSize }
        return nil
    }

    /// `entry` as equal pieces of `size`.
    func split(_ entry: MMUEntry, to size: PageSize) -> [MMUEntry] {
        let count = entry.size.byteCount / size.byteCount
        return (0..<count).map { index in
            var piece = entry
            piece.virtualAddress = VirtualAddress(entry.virtualAddress.rawValue + index * size.byteCount)
            piece.physicalAddress = PhysicalAddress(entry.physicalAddress.rawValue + index * size.byteCount)
            piece.size = size
            return piece
        }
    }

    /// The key of the group whose entries must share one page size: the IA-64 region (short
    /// format) or the PowerPC 256 MiB segment (ESID); `nil` for formats without such a rule.
    func groupKey(_ entry: MMUEntry) -> UInt64? {
        switch family {
        case .ia64Short: entry.virtualAddress.rawValue >> 61
        case .ppc64: entry.virtualAddress.rawValue >> PPC64Segment.shift
        default: nil
        }
    }

    /// The smallest page size of each group that mixes sizes.
    private func groupMinimumSizes(_ entries: [MMUEntry]) -> [UInt64: PageSize] {
        var sizes: [UInt64: (min: PageSize, max: PageSize)] = [:]
        for entry in entries {
            guard let key = groupKey(entry) else { return [:] }
            let known = sizes[key] ?? (entry.size, entry.size)
            sizes[key] = (Swift.min(known.min, entry.size), Swift.max(known.max, entry.size))
        }
        return sizes.filter { $0.value.min != $0.value.max }.mapValues(\.min)
    }

    /// The entries breaking a region or segment rule: those larger than their group's smallest size.
    private func groupRejections(_ entries: [MMUEntry]) -> [RejectedEntry] {
        let minimums = groupMinimumSizes(entries)
        guard !minimums.isEmpty else { return [] }
        var sizesByGroup: [UInt64: Set<PageSize>] = [:]
        for entry in entries {
            if let key = groupKey(entry), minimums[key] != nil { sizesByGroup[key, default: []].insert(entry.size) }
        }
        return entries.compactMap { entry in
            guard let key = groupKey(entry), let minimum = minimums[key], entry.size != minimum else { return nil }
            let sizes = sizesByGroup[key, default: []].sorted()
            if case .ia64Short = family {
                return RejectedEntry(entry, .regionPageSizeConflict(region: Int(key), sizes: sizes))
            }
            return RejectedEntry(entry, .segmentPageSizeConflict(segment: key, sizes: sizes))
        }
    }
}
