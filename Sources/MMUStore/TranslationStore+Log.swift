import GRDB

extension TranslationStore {
    /// The transaction log, oldest first: of one set or of the whole store.
    ///
    /// - Parameters:
    ///   - setName: Only this set's transactions, or all when `nil`.
    ///   - sequence: Only rows after this sequence number.
    ///   - limit: At most this many rows.
    /// - Throws: ``StoreError`` `notFound`.
    public func log(of setName: String? = nil, after sequence: Int64 = 0, limit: Int = .max) throws(StoreError) -> [LogEntry] {
        try read { db in
            let setID = try setName.map { try StoredSet.require(db, named: $0).id }
            return try TransactionLogRecord.fetch(db, setID: setID, after: sequence, limit: limit)
        }
    }

    /// The last sequence number in the log (0 when empty): after an ambiguous commit error,
    /// compare with the ``Commit/sequence`` you expected before retrying.
    ///
    /// - Throws: ``StoreError`` when the database cannot be read.
    public func lastSequence() throws(StoreError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT coalesce(max(sequence), 0) FROM transactionLog") ?? 0 }
    }
}
