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
