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
        let pages = counts.keys.sorted()
        guard !pages.isEmpty else { return }
        try operation(\.accesses, counting: counts.values.reduce(0) { $0 + $1.operations }) {
            if let empty = pages.first(where: { counts[$0]?.isEmpty ?? true }) {
                throw MappingError.zeroCount(VirtualAddress(pageNumber: empty))
            }
            let accessed = pages.filter { page in counts[page].map { $0.reads > 0 || $0.writes > 0 } ?? false }
            var states: [UInt64: (entry: MMUEntry, state: MMUEntry.Attributes)] = [:]
            var runStart = 0
            while runStart < accessed.count {
                var runEnd = runStart + 1
                while runEnd < accessed.count, accessed[runEnd] - accessed[runEnd - 1] < Self.activityLookupGap { runEnd += 1 }
                let entries = try fetch(VirtualRange(pages: accessed[runStart]..<(accessed[runEnd - 1] + 1)))
                var entryIndex = 0
                for page in accessed[runStart..<runEnd] {
                    while entryIndex < entries.count, entries[entryIndex].range.upperPage <= page { entryIndex += 1 }
                    guard entryIndex < entries.count, entries[entryIndex].range.pages.contains(page) else {
                        throw MappingError.notMapped(VirtualAddress(pageNumber: page))
                    }
                    let entry = entries[entryIndex]
                    let wanted: MMUEntry.Attributes = (counts[page]?.writes ?? 0) > 0 ? .accessState : .accessed
                    states[entry.pageNumber, default: (entry, entry.attributes.intersection(.accessState))].state.formUnion(wanted)
                }
                runStart = runEnd
            }
            for start in states.keys.sorted() {
                guard let (entry, state) = states[start], state != entry.attributes.intersection(.accessState) else { continue }
                try backend.setAccessState(state, of: entry)
            }
            try backend.record(
                pages.compactMap { page in
                    counts[page].map { count in
                        let (accesses, overflow) = count.reads.addingReportingOverflow(count.writes)
                        return (page, PageActivity(accesses: overflow ? .max : accesses, writes: count.writes, faults: count.faults))
                    }
                })
        }
    }

    /// Pages with accesses closer than this are looked up in one range of entries.
    public static let activityLookupGap: UInt64 = 64
}
