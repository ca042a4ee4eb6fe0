import MMUCore

/// The end of a transaction: its summaries, heads and `transactionLog` row.
extension StoreBackend {
    /// Writes the summary counters, the new heads and the log row; returns the sequence number.
    func finish(label: String?, counts: OperationCounts) throws -> Int64 {
        try writeSummaries()
        let (digest, globalDigest) = try writeHeads()
        return try TransactionLogRecord.append(
            db, setID: set.id, generation: generation, globalGeneration: visibleGlobalGeneration, label: label,
            counts: counts, digest: digest, globalDigest: globalDigest)
    }
}
