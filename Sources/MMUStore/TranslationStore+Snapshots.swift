import GRDB
import MMUCore

extension TranslationStore {
    /// Names the current state of a set. O(1): one row, whatever the size of the set.
    ///
    /// Snapshot names cannot be all digits (`SET@12` means generation 12).
    ///
    /// - Parameters:
    ///   - metadata: Text (JSON) to keep with the snapshot, such as a simulator's state.
    ///   - replacing: Move an existing snapshot of that name to the current state instead of
    ///     failing with `alreadyExists`.
    ///   - keepingActivity: Also keep a copy of the set's access bits and page counters, which
    ///     are unversioned, so that ``restore(set:toSnapshot:label:)`` and
    ///     ``duplicateSet(named:as:at:)`` from this snapshot start from them. The snapshot then
    ///     costs O(*n*) in the set's counters instead of O(1).
    /// - Throws: ``StoreError`` `notFound`, `alreadyExists`, `invalidName`.
    @discardableResult
    public func createSnapshot(
        named name: String, of setName: String, metadata: String? = nil, replacing: Bool = false, keepingActivity: Bool = false
    ) throws(StoreError) -> Snapshot
    {
        try Self.validate(name: name, of: "snapshot")
        guard Int64(name) == nil else {
            throw StoreError(.invalidName, "snapshot name '\(name)' is all digits, which reads as a generation number")
        }
        return try write { db in
            let set = try StoredSet.require(db, named: setName)
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM snapshot WHERE setId = ? AND name = ?", arguments: [set.id, name]) != nil {
                guard replacing else { throw StoreError(.alreadyExists, "set '\(setName)' already has a snapshot named '\(name)'") }
                try Self.dropKeptActivity(where: "setId = ? AND name = ?", [set.id, name], in: db)
                try db.execute(sql: "DELETE FROM snapshot WHERE setId = ? AND name = ?", arguments: [set.id, name])
            }
            let global = try globalHead(db)
            try db.execute(
                sql: """
                    INSERT INTO snapshot (setId, name, generation, globalGeneration, createdAt, metadata)
                    VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?)
                    """,
                arguments: [set.id, name, set.info.headGeneration, set.id == Self.globalSetID ? set.info.headGeneration : global, metadata])
            if keepingActivity { try Self.keepActivity(of: set, inSnapshot: db.lastInsertedRowID, in: db) }
            try Self.resealSnapshot(setID: set.id, named: name, in: db)
            return try Self.snapshots(of: set, in: db).first { $0.name == name }
                ?? Snapshot(
                    name: name, setName: setName, generation: set.info.headGeneration, globalGeneration: global, createdAt: "",
                    metadata: metadata, keepsActivity: keepingActivity)
        }
    }

    /// Computes and stores the seal of a snapshot row.
    static func resealSnapshot(setID: Int64, named name: String, in db: Database) throws {
        let query = try CachedStatement("SELECT * FROM snapshot WHERE setId = ?1 AND name = ?2", on: db)
        try query.bind(setID)
        try query.bind(name, at: 2)
        guard let row = try query.first(SnapshotRow.self) else { return }
        try db.execute(sql: "UPDATE snapshot SET seal = ? WHERE id = ?", arguments: [Int64(bitPattern: row.computedSeal), row.id])
    }

    /// The snapshots of a set, oldest generation first.
    ///
    /// - Throws: ``StoreError`` `notFound`.
    public func snapshots(of setName: String) throws(StoreError) -> [Snapshot] {
        try read { db in try Self.snapshots(of: try StoredSet.require(db, named: setName), in: db) }
    }

    static func snapshots(of set: StoredSet, in db: Database) throws -> [Snapshot] {
        let query = try CachedStatement("SELECT * FROM snapshot WHERE setId = ?1 ORDER BY generation, id", on: db)
        try query.bind(set.id)
        return try query.all(SnapshotRow.self).map { $0.snapshot(ofSet: set.info.name) }
    }

    /// Deletes a snapshot (its history stays until the next compaction).
    ///
    /// - Throws: ``StoreError`` `notFound`.
    public func deleteSnapshot(named name: String, of setName: String) throws(StoreError) {
        try write { db in
            let set = try StoredSet.require(db, named: setName)
            try Self.dropKeptActivity(where: "setId = ? AND name = ?", [set.id, name], in: db)
            try db.execute(sql: "DELETE FROM snapshot WHERE setId = ? AND name = ?", arguments: [set.id, name])
            if db.changesCount == 0 {
                let names = try String.fetchAll(db, sql: "SELECT name FROM snapshot WHERE setId = ?", arguments: [set.id])
                throw StoreError(.notFound, "set '\(setName)' has no snapshot named '\(name)'" + NameSuggestion.phrase(for: name, among: names))
            }
        }
    }
}
