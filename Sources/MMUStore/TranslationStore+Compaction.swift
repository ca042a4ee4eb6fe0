import GRDB
import MMUCore

/// What a compaction removed.
public struct CompactionResult: Hashable, Sendable, Codable {
    /// The set compacted.
    public var setName: String
    /// History now starts at this generation.
    public var compactedThrough: Int64
    /// Dead entry versions removed.
    public var entriesRemoved: Int
    /// Dead memory-area versions removed.
    public var areasRemoved: Int
    /// Dead global entry versions removed (no longer seen by any kept generation).
    public var globalEntriesRemoved: Int
}

extension TranslationStore {
    /// Removes the history of a set older than its oldest snapshot (or than its head, when it
    /// has none): versions that died at or before that generation. Generations before it can no
    /// longer be read or diffed; snapshots and the head read exactly as before. Global history
    /// no kept generation of any set can see is removed too.
    ///
    /// - Complexity: O(*d*) for *d* dead versions, through the death index.
    /// - Throws: ``StoreError`` `notFound`, `readOnly` (the global set is compacted with the others).
    @discardableResult
    public func compact(set name: String) throws(StoreError) -> CompactionResult {
        try write { db in
            let set = try StoredSet.require(db, named: name)
            try Self.refuseGlobal(set, "compact")
            let oldestSnapshot = try Int64.fetchOne(db, sql: "SELECT min(generation) FROM snapshot WHERE setId = ?", arguments: [set.id])
            let keep = max(set.info.compactedThrough, min(oldestSnapshot ?? set.info.headGeneration, set.info.headGeneration))
            try db.execute(sql: "DELETE FROM mmuEntry WHERE setId = ? AND died <= ?", arguments: [set.id, keep])
            let entries = db.changesCount
            try db.execute(sql: "DELETE FROM memoryArea WHERE setId = ? AND died <= ?", arguments: [set.id, keep])
            let areas = db.changesCount
            try db.execute(
                sql: "UPDATE translationSet SET compactedThrough = ?, storedRows = storedRows - ? WHERE id = ?",
                arguments: [keep, entries, set.id])
            try Self.resealSet(named: name, in: db)
            let globalKeep = try Int64.fetchOne(db, sql: """
                SELECT min(g) FROM (
                    SELECT headGeneration AS g FROM translationSet WHERE id = 1
                    UNION ALL SELECT globalGeneration FROM snapshot
                    UNION ALL SELECT l.globalGeneration FROM translationSet t
                        JOIN transactionLog l ON l.setId = t.id AND l.generation = max(t.compactedThrough, 0)
                        WHERE t.id <> 1)
                """) ?? -1
            try db.execute(sql: "DELETE FROM mmuEntry WHERE setId = 1 AND died <= ?", arguments: [globalKeep])
            let globals = db.changesCount
            try db.execute(
                sql: "UPDATE translationSet SET compactedThrough = max(compactedThrough, ?), storedRows = storedRows - ? WHERE id = 1",
                arguments: [globalKeep, globals])
            try Self.resealSet(named: Self.globalSetName, in: db)
            return CompactionResult(
                setName: name, compactedThrough: keep, entriesRemoved: entries, areasRemoved: areas, globalEntriesRemoved: globals)
        }
    }
}
