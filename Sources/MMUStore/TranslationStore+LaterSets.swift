import GRDB

extension TranslationStore {
    /// The sets created after the snapshot `snapshot` of `setName`, ordered by name: those whose
    /// first transaction (generation 0) committed after the transaction that made the generation
    /// the snapshot names.
    ///
    /// A tool that snapshots every set it writes at once, as `mmu simulate` does, finds here the
    /// sets its run created after the snapshot (a child process's set after a fork), which a
    /// rewind to the snapshot must remove. Sets without a transaction are not listed, nor the
    /// global set. For a snapshot of a set before its first transaction (generation -1), the
    /// sets whose first transaction is later than the snapshot's time, to the millisecond.
    ///
    /// - Throws: ``StoreError`` `notFound` for the set or the snapshot, `invalidData` when the
    ///   log does not hold the snapshot's generation.
    /// - Complexity: O(*n* + *s* log *s*) for *n* transactions in the log and *s* sets.
    public func setsCreated(after snapshot: String, of setName: String) throws(StoreError) -> [TranslationSetInfo] {
        try read { db in
            let set = try StoredSet.require(db, named: setName)
            guard let taken = try Self.snapshots(of: set, in: db).first(where: { $0.name == snapshot }) else {
                throw StoreError(.notFound, "set '\(setName)' has no snapshot named '\(snapshot)'")
            }
            let since: Int64
            if taken.generation >= 0 {
                guard
                    let sequence = try Int64.fetchOne(
                        db, sql: "SELECT sequence FROM transactionLog WHERE setId = ? AND generation = ?", arguments: [set.id, taken.generation])
                else {
                    throw StoreError(
                        .invalidData, "snapshot '\(snapshot)' of set '\(setName)' names generation \(taken.generation), which the transaction log does not hold")
                }
                since = sequence
            } else {
                since = try Int64.fetchOne(
                    db, sql: "SELECT coalesce(max(sequence), 0) FROM transactionLog WHERE committedAt <= ?", arguments: [taken.createdAt]) ?? 0
            }
            // Set ids are never reused, so a set's generation 0 in the log is its own first transaction.
            let later = try Set(
                Int64.fetchAll(
                    db, sql: "SELECT setId FROM transactionLog WHERE generation = 0 AND sequence > ? AND setId != ?",
                    arguments: [since, Self.globalSetID]))
            return try StoredSet.all(db).filter { later.contains($0.id) }.map(\.info)
        }
    }
}
