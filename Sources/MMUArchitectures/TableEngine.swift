import MMUCore

/// What a table engine (the radix engine of every radix format; the IA-64 long and short VHPT
/// and the PowerPC HPT engines) provides to its table type: a class, so that walks pass one
/// reference.
protocol TableEngine: AnyObject, Sendable {
    var format: PageTableFormat { get }
    var entryCount: Int { get }
    var footprint: TableFootprint { get throws(ImageError) }
    func translate(_ address: VirtualAddress, access: MemoryAccess, privilege: PrivilegeLevel) -> TranslationResult
    /// Applies a change; returns an engine to use instead (a hashed table rebuilt or changed
    /// as a copy), or `nil` when this one was changed in place.
    func apply(removing: [MMUEntry], adding: [MMUEntry]) throws(PageTableError) -> Self?
    func entries() throws(ImageError) -> [MMUEntry]
    func encodedEntries() throws(ImageError) -> [EncodedEntry]
    func image() -> PageTableImage
    /// An independent copy.
    func copy() -> Self
}

extension TableEngine {
    /// The entries of the table after a change, for a rebuild: its own walk less `removals`,
    /// plus `additions`, sorted.
    ///
    /// - Throws: ``PageTableError/unreadableTable(_:)`` when the walk fails, or
    ///   ``PageTableError/overlapsTable(_:)`` naming an added entry that overlaps one that stays
    ///   or another added one.
    /// - Complexity: O(*n* log *n*) for *n* entries.
    func combinedEntries(removing removals: [MMUEntry], adding additions: [MMUEntry]) throws(PageTableError) -> [MMUEntry] {
        let removed = Set(removals.map(\.virtualAddress))
        let kept = try PageTableError.whileWalking(entries).filter { !removed.contains($0.virtualAddress) }
        do {
            return try TranslationSet(entries: kept + additions, architecture: nil).entries
        } catch {
            if case .overlap(let entry, _) = error { throw .overlapsTable(entry) }
            throw .overlapsTable(additions[0])
        }
    }
}
