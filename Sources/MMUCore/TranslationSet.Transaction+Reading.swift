extension TranslationSet.Transaction {
    /// The live entries that overlap `range`, sorted by address, as this transaction sees them
    /// (its own changes included); lets a caller change only what differs.
    ///
    /// - Throws: What the backend throws reading them (a store's I/O error).
    public func entries(overlapping range: VirtualRange) throws -> [MMUEntry] {
        try fetch(range)
    }
}
