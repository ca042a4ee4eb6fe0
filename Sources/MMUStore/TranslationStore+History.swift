import GRDB
import MMUCore

extension TranslationStore {
    /// Every stored version of the set's own entries (not the global set's), live and
    /// historical, ordered by page and then by birth: what the versioned rows record of when
    /// each range was mapped, remapped, resized and unmapped. Generations compacted away are gone.
    ///
    /// - Complexity: O(*h*) for *h* stored rows of the set.
    /// - Throws: ``StoreError`` `notFound` (no such set), `invalidData` (a damaged row).
    public func entryVersions(of name: String) throws(StoreError) -> [EntryVersion] {
        try read { db in
            let set = try StoredSet.require(db, named: name)
            let isGlobal = set.id == Self.globalSetID
            let query = try CachedStatement(
                "SELECT \(EntryRow.selection), e.born AS born, e.died AS died FROM mmuEntry e WHERE e.setId = ?1 ORDER BY e.vpn, e.born", on: db)
            try query.bind(set.id)
            var result: [EntryVersion] = []
            try query.forEach(EntryRow.self) { row in
                let entry = try row.entry(inSet: name, global: isGlobal)
                let born = row.born ?? 0, died = row.died
                guard born >= 0, died.map({ $0 > born }) ?? true else {
                    throw StoreError(.invalidData, "set '\(name)': the row of \(entry) has born \(born), died \(died.map(String.init) ?? "null")")
                }
                result.append(EntryVersion(entry: entry, born: born, died: died))
            }
            return result
        }
    }

    /// The generation `version` of the set names: the head's, a snapshot's, or the one given.
    ///
    /// - Throws: ``StoreError`` `notFound` (no such set, generation or snapshot), `compacted`.
    public func generation(of name: String, at version: Version) throws(StoreError) -> Int64 {
        try read { db in
            let set = try StoredSet.require(db, named: name)
            return try resolve(version, of: set, in: db).generation
        }
    }
}

extension TranslationStore {
    /// For each generation of the set, the global set's generation it saw (the global entries
    /// every set sees are versioned by the global set); the head maps to the global set's head.
    ///
    /// - Complexity: O(*g*) for *g* generations.
    /// - Throws: ``StoreError`` `notFound` (no such set).
    public func globalGenerations(of name: String) throws(StoreError) -> [Int64: Int64] {
        try read { db in
            let set = try StoredSet.require(db, named: name)
            let query = try CachedStatement("SELECT * FROM transactionLog WHERE setId = ?1", on: db)
            try query.bind(set.id)
            var result: [Int64: Int64] = [:]
            try query.forEach(LogRow.self) { result[$0.entry.generation] = $0.entry.globalGeneration }
            result[set.info.headGeneration] = try globalHead(db)
            return result
        }
    }
}
