extension TranslationSet.Transaction {
    /// Whether a live global entry identical to `entry` (access bits aside) is already shared
    /// with every set, so that importing `entry` again would only be refused as an overlap.
    ///
    /// Read inside the transaction: no other writer can share or unshare it before the commit.
    public func isAlreadyShared(_ entry: MMUEntry) throws -> Bool {
        guard entry.isGlobal else { return false }
        let plain = entry.withoutAccessState
        return try fetch(entry.range).contains { $0.isGlobal && $0.withoutAccessState == plain }
    }

    /// Maps imported entries as one bulk map, skipping those ``isAlreadyShared(_:)``.
    ///
    /// - Returns: The indices in `entries` of the entries skipped.
    /// - Throws: What ``map(contentsOf:replacing:)`` throws; nothing is mapped then.
    /// - Complexity: One lookup per global entry, then the bulk map.
    public func mapImported(_ entries: [MMUEntry], replacing: Bool = false) throws -> [Int] {
        var skipped: [Int] = []
        var fresh: [MMUEntry] = []
        fresh.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            if try isAlreadyShared(entry) {
                skipped.append(index)
            } else {
                fresh.append(entry)
            }
        }
        try map(contentsOf: fresh, replacing: replacing)
        return skipped
    }
}
