import GRDB

extension TranslationStore {
    /// The sets created after generation `generation` of `setName`, ordered by name: those whose
    /// first transaction committed after the transaction that made that generation.
    ///
    /// A tool that writes several sets finds here the sets it created after one set's
    /// generation, such as the snapshot a rewind goes back to (`mmu simulate --from` deletes the
    /// sets of its simulation made after the snapshot, a child process's set from a later fork).
    /// Sets without a transaction are not listed, nor the global set.
    ///
    /// - Throws: ``StoreError`` `notFound` for the set, or for a generation its transaction log
    ///   does not hold (below 0 or past the head).
    /// - Complexity: O(*n* + *s*) for *n* transactions in the log and *s* sets.
    public func setsCreated(after generation: Int64, of setName: String) throws(StoreError) -> [TranslationSetInfo] {
        try read { db in
            let set = try StoredSet.require(db, named: setName)
            guard
                let since = try Int64.fetchOne(
                    db, sql: "SELECT sequence FROM transactionLog WHERE setId = ? AND generation = ?", arguments: [set.id, generation])
            else {
                throw StoreError(.notFound, "set '\(setName)' has no generation \(generation) in the transaction log (its head is \(set.info.headGeneration))")
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
