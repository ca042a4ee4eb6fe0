extension TranslationSet.Transaction {
    /// Records `count` accesses to the page at `address` (the proposal's `mkcount`): sets the
    /// entry's accessed bit (and dirty bit for a write) and adds to the page's counters.
    ///
    /// Neither creates a new version: access state and counters are unversioned.
    ///
    /// - Throws: ``MappingError/notMapped(_:)`` when nothing maps `address`,
    ///   ``MappingError/zeroCount(_:)`` for a count of zero.
    public func recordAccess(at address: VirtualAddress, write: Bool = false, count: UInt64 = 1) throws {
        guard count > 0 else { throw MappingError.zeroCount(address) }
        try operation(\.accesses) {
            guard let entry = try fetch(VirtualRange(pages: address.pageNumber..<(address.pageNumber + 1))).first else {
                throw MappingError.notMapped(address)
            }
            let state = entry.attributes.intersection(.accessState).union(write ? .accessState : .accessed)
            if state != entry.attributes.intersection(.accessState) {
                try backend.setAccessState(state, of: entry)
            }
            try backend.record(PageActivity(accesses: count, writes: write ? count : 0), forPage: address.pageNumber)
        }
    }

    /// Records `count` page faults at `address`, mapped or not.
    ///
    /// - Throws: ``MappingError/zeroCount(_:)`` for a count of zero.
    public func recordFault(at address: VirtualAddress, count: UInt64 = 1) throws {
        guard count > 0 else { throw MappingError.zeroCount(address) }
        try operation(\.accesses) {
            try backend.record(PageActivity(faults: count), forPage: address.pageNumber)
        }
    }
}

extension TranslationSet.Transaction {
    /// Records the accesses and faults of many pages at once (a batch of a replayed trace).
    ///
    /// The result is that of a ``recordAccess(at:write:count:)`` for each page's reads and one
    /// for its writes, then a ``recordFault(at:count:)`` for each page's faults, in page order,
    /// and the transaction log counts those calls; but each page's counters are written once, the
    /// access bits of each entry once, and the entries are looked up by runs of nearby pages.
    ///
    /// - Parameter counts: What happened to each 4 KiB page, by page number.
    /// - Throws: ``MappingError/notMapped(_:)`` for the lowest page with reads or writes that
    ///   nothing maps, ``MappingError/zeroCount(_:)`` for a page with nothing counted; nothing
    ///   is recorded then.
    /// - Complexity: O(*p* log *p*) for *p* pages, plus one lookup of the entries of each run of
    ///   pages less than ``activityLookupGap`` apart.
    public func recordActivity(_ counts: [UInt64: AccessCounts]) throws {
        try recordActivity(inPageOrder: counts.sorted { $0.key < $1.key }.map { (page: $0.key, counts: $0.value) })
    }

    /// Records the accesses and faults of many pages at once, as ``recordActivity(_:)`` does,
    /// from counts already in page order (what a simulator keeps per batch), without a dictionary.
    ///
    /// - Parameter pages: What happened to each 4 KiB page, each page once, in increasing order.
    /// - Throws: As ``recordActivity(_:)``.
    /// - Complexity: O(*p*) for *p* pages, plus one lookup of the entries of each run of pages
    ///   less than ``activityLookupGap`` apart.
    package func recordActivity(inPageOrder pages: [(page: UInt64, counts: AccessCounts)]) throws {
        precondition(zip(pages, pages.dropFirst()).allSatisfy { $0.page < $1.page }, "recordActivity(inPageOrder:): pages out of order")
        guard !pages.isEmpty else { return }
        try operation(\.accesses, counting: pages.reduce(0) { $0 + $1.counts.operations }) {
            if let empty = pages.first(where: { $0.counts.isEmpty }) {
                throw MappingError.zeroCount(VirtualAddress(pageNumber: empty.page))
            }
            let accessed = pages.filter { $0.counts.reads > 0 || $0.counts.writes > 0 }
            let covering = try backend.entries(covering: accessed.map(\.page))
            // Entries are met in address order, a large page once for each of its pages in a row.
            var states: [(entry: MMUEntry, state: MMUEntry.Attributes)] = []
            for ((page, counts), entry) in zip(accessed, covering) {
                guard let entry else { throw MappingError.notMapped(VirtualAddress(pageNumber: page)) }
                let wanted: MMUEntry.Attributes = counts.writes > 0 ? .accessState : .accessed
                if let last = states.last, last.entry.pageNumber == entry.pageNumber {
                    states[states.count - 1].state.formUnion(wanted)
                } else {
                    states.append((entry, entry.attributes.intersection(.accessState).union(wanted)))
                }
            }
            for (entry, state) in states where state != entry.attributes.intersection(.accessState) {
                try backend.setAccessState(state, of: entry)
            }
            try backend.record(
                pages.map { page, count in
                    let (accesses, overflow) = count.reads.addingReportingOverflow(count.writes)
                    return (page, PageActivity(accesses: overflow ? .max : accesses, writes: count.writes, faults: count.faults))
                })
        }
    }

    /// Pages with accesses closer than this are looked up in one range of entries.
    public static let activityLookupGap: UInt64 = 64
}
