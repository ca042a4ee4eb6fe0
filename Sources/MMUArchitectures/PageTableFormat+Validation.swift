import MMUCore

extension PageTableFormat {
    /// The entries of `entries` (sorted by virtual address) this format cannot hold, each with
    /// its reason; empty when all can be encoded.
    ///
    /// - Complexity: O(*n*).
    public func rejections(_ entries: [MMUEntry]) -> [RejectedEntry] {
        var rejected: [RejectedEntry] = []
        let quick = QuickEntryCheck(self)
        for entry in entries where !quick.accepts(entry) {
            if let reason = basicRejection(entry, allowingUnsupportedSize: false) { rejected.append(RejectedEntry(entry, reason)) }
        }
        rejected += groupRejections(entries)
        return rejected
    }

    /// A change's removals in address order, split as a build with `options` splits what it
    /// stores, so they can be matched against the table's own entries.
    ///
    /// - Throws: ``PageTableError/notInTable(_:)`` naming the first removal the format could
    ///   never have held.
    func preparedRemovals(_ removing: [MMUEntry], options: BuildOptions) throws(PageTableError) -> [MMUEntry] {
        let sorted = removing.sorted { $0.virtualAddress < $1.virtualAddress }
        do {
            return try prepared(sorted, options: options)
        } catch {
            throw .notInTable(sorted.first { !rejections([$0]).isEmpty } ?? sorted[0])
        }
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
            } else if supportedShifts & (1 << UInt64(entry.size.shift)) != 0 {
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
        let shift = UInt64(entry.size.shift)
        let sizeMask: UInt64 = (1 << shift) - 1
        let first = entry.virtualAddress.rawValue, physical = entry.physicalAddress.rawValue
        guard first & sizeMask == 0, physical & sizeMask == 0 else { return .misaligned }
        guard isCanonical(first, first | sizeMask) else { return .nonCanonical }
        if case .ia64Short = family, IA64ShortVHPT.isInsideWindow(entry) { return .insideLinearTableWindow }
        let supported = supportedShifts & (1 << shift) != 0
        let bits = physicalAddressBits(for: supported ? entry.size : .size4KiB)
        let end = physical | sizeMask
        if bits < 64, end >> UInt64(bits) != 0 { return .frameBeyondPhysicalWidth(bits: bits) }
        if !allowingUnsupportedSize && !supported { return .unsupportedPageSize }
        return nil
    }

    /// Whether `first...last` (one page) is valid under the architecture's addressing rule:
    /// both ends valid and on the same side of any hole.
    @inline(__always)
    private func isCanonical(_ first: UInt64, _ last: UInt64) -> Bool {
        switch architecture.addressing {
        case .signExtended(let bits):
            let top = first >> UInt64(bits - 1)
            return (top == 0 || top == UInt64.max >> UInt64(bits - 1)) && top == last >> UInt64(bits - 1)
        case .splitHalves(let bits):
            let top = first >> UInt64(bits)
            return (top == 0 || top == UInt64.max >> UInt64(bits)) && top == last >> UInt64(bits)
        case .zeroExtended(let bits):
            return last >> UInt64(bits) == 0
        case .regions(let implementedBits):
            let offset = first & ((1 << 61) - 1), lastOffset = last & ((1 << 61) - 1)
            let top = offset >> UInt64(implementedBits - 1)
            return (top == 0 || top == (1 << (62 - UInt64(implementedBits))) - 1)
                && top == lastOffset >> UInt64(implementedBits - 1) && first >> 61 == last >> 61
        case .unrestricted:
            return true
        }
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

    /// The key of the group whose entries must share one page size: the architecture's size
    /// domain (the IA-64 region under the short format, the PowerPC 256 MiB segment's ESID);
    /// `nil` for formats without such a rule.
    func groupKey(_ entry: MMUEntry) -> UInt64? {
        architecture.sizeDomainBits.map { entry.virtualAddress.rawValue >> UInt64($0) }
    }

    /// The smallest page size of each group that mixes sizes.
    ///
    /// Entries of a group are usually consecutive (sets are sorted by address): a run of one
    /// group is summed locally and reaches the dictionary once.
    private func groupMinimumSizes(_ entries: [MMUEntry]) -> [UInt64: PageSize] {
        guard let first = entries.first, let firstKey = groupKey(first) else { return [:] }
        var sizes: [UInt64: (min: PageSize, max: PageSize)] = [:]
        var run = (key: firstKey, min: first.size, max: first.size)
        func flush() {
            let known = sizes[run.key] ?? (run.min, run.max)
            sizes[run.key] = (Swift.min(known.min, run.min), Swift.max(known.max, run.max))
        }
        for entry in entries.dropFirst() {
            guard let key = groupKey(entry) else { return [:] }
            if key == run.key {
                run.min = Swift.min(run.min, entry.size)
                run.max = Swift.max(run.max, entry.size)
            } else {
                flush()
                run = (key, entry.size, entry.size)
            }
        }
        flush()
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
            return sizeDomainConflict(entry, group: key, sizes: sizesByGroup[key, default: []].sorted())
        }
    }

    /// `entry` rejected for mixing `sizes` in the group `key`: an IA-64 region or a PowerPC segment.
    func sizeDomainConflict(_ entry: MMUEntry, group key: UInt64, sizes: [PageSize]) -> RejectedEntry {
        if case .ia64Short = family {
            return RejectedEntry(entry, .regionPageSizeConflict(region: Int(key), sizes: sizes))
        }
        return RejectedEntry(entry, .segmentPageSizeConflict(segment: key, sizes: sizes))
    }
}

/// A first pass over entries for the common case: an entry it accepts is one that
/// `basicRejection` accepts (a supported size, aligned, canonical, within the smallest
/// physical width of any size); anything else goes through the full check, which gives the
/// reason.
private struct QuickEntryCheck {
    /// Bit *n* set for supported pages of 2^*n* bytes.
    let supportedShifts: UInt64
    /// The narrowest physical width of any page size of the format.
    let physicalBits: UInt64
    /// How addresses must look: the shift of the bits that must be all zeros or all ones
    /// (sign-extended and split halves), or that must be zero (zero-extended).
    let topShift: UInt64
    /// Whether the top bits may be all ones (sign-extended, split halves) or must be zero.
    let allowsOnes: Bool
    /// Whether this check can decide at all (not for IA-64 regions and the short format's
    /// window).
    let isUsable: Bool

    init(_ format: PageTableFormat) {
        supportedShifts = format.supportedShifts
        physicalBits = UInt64(format.pageSizes.map { format.physicalAddressBits(for: $0) }.min() ?? 0)
        switch format.architecture.addressing {
        case .signExtended(let bits):
            (topShift, allowsOnes, isUsable) = (UInt64(bits - 1), true, true)
        case .splitHalves(let bits):
            (topShift, allowsOnes, isUsable) = (UInt64(bits), true, true)
        case .zeroExtended(let bits):
            (topShift, allowsOnes, isUsable) = (UInt64(bits), false, true)
        case .regions:
            (topShift, allowsOnes, isUsable) = (0, false, false)
        case .unrestricted:
            // Every address is canonical: 64 - 1 leaves only the sign bit, which may be anything.
            (topShift, allowsOnes, isUsable) = (63, true, true)
        }
    }

    /// Whether `entry` certainly passes the full check.
    @inline(__always)
    func accepts(_ entry: MMUEntry) -> Bool {
        let shift = UInt64(entry.size.shift)
        let mask = (1 &<< shift) &- 1
        let first = entry.virtualAddress.rawValue, physical = entry.physicalAddress.rawValue
        guard isUsable, supportedShifts & (1 &<< shift) != 0, (first | physical) & mask == 0,
            physicalBits < 64, (physical | mask) &>> physicalBits == 0
        else { return false }
        let top = first &>> topShift
        return top == (first | mask) &>> topShift && (top == 0 || (allowsOnes && top == UInt64.max &>> topShift))
    }
}
