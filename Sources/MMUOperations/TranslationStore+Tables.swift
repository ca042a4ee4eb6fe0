import MMUArchitectures
import MMUCore
import MMUStore

extension TranslationStore {
    /// Rebuilds the hardware page table of a set as it was at `version` (restore, in the
    /// sense of DESIGN §6): its entries, global ones included, with their access bits at the
    /// head, encoded in `format` into table pages placed clear of every mapped frame.
    ///
    /// - Complexity: O(*n*) to read the set plus the format's build.
    /// - Throws: ``StoreError`` (`notFound`, `compacted`, …) or `PageTableError` (entries the
    ///   format cannot hold, all listed; no free physical range for the table).
    public func build(set name: String, at version: Version = .head, format: PageTableFormat, options: BuildOptions = BuildOptions())
        throws -> any HardwarePageTable
    {
        let set = try translationSet(named: name, at: version)
        return try format.makeTable(for: set, options: options)
    }
}
