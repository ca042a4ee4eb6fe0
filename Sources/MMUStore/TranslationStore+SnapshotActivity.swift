import GRDB
import MMUCore

extension TranslationStore {
    /// Makes the head of a set what it was at one of its snapshots again, in one transaction
    /// (a new generation; the later history stays readable): its private entries and memory
    /// areas, and, when the snapshot kept them (see
    /// ``createSnapshot(named:of:metadata:replacing:keepingActivity:)``), its access bits and
    /// page counters. Global entries are left alone: they belong to every set.
    ///
    /// - Parameters:
    ///   - label: A note for the transaction log.
    /// - Returns: The commit of the restoring transaction.
    /// - Throws: ``StoreError`` `notFound` (set or snapshot), `compacted`, `readOnly` (the global
    ///   set), and what ``update(set:label:expectedGeneration:creating:_:)`` throws.
    /// - Complexity: O(*n*) in the entries, areas and counters of the set and of the snapshot.
    @discardableResult
    public func restore(set name: String, toSnapshot snapshot: String, label: String? = nil) throws -> Commit {
        var saved: TranslationSet?
        return try update(
            set: name, label: label,
            before: { db, set in
                saved = try Self.load(set, try resolve(.snapshot(snapshot), of: set, in: db), includingActivity: false, in: db)
            },
            { tx in
                guard let saved else { return }
                let everything = VirtualRange(pages: 0..<VirtualRange.pageLimit)
                try tx.clear(everything, largePages: .demote, keepingGlobal: true)
                try tx.map(contentsOf: saved.entries.filter { !$0.isGlobal })
                try tx.replaceAreas(in: everything, with: saved.areas)
            },
            after: { db, set in
                guard let kept = try Self.keptActivity(of: set, snapshot: snapshot, in: db) else { return }
                try Self.replaceActivity(ofSet: set.id, with: kept, datedAt: nil, in: db)
            })
    }

    /// The id of a snapshot of `set` that kept the set's access bits and page counters, or
    /// `nil` when it kept none.
    static func keptActivity(of set: StoredSet, snapshot name: String, in db: Database) throws -> Int64? {
        try Int64.fetchOne(
            db, sql: "SELECT id FROM snapshot WHERE setId = ? AND name = ? AND activityDigest IS NOT NULL", arguments: [set.id, name])
    }

    /// Copies a set's `entryState` and `pageActivity` rows into the snapshot `snapshotID`'s
    /// copy and records their digest in the snapshot row.
    static func keepActivity(of set: StoredSet, inSnapshot snapshotID: Int64, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO snapshotEntryState SELECT ?2, vpn, accessed, dirty FROM entryState WHERE setId = ?1",
            arguments: [set.id, snapshotID])
        try db.execute(
            sql: """
                INSERT INTO snapshotPageActivity
                SELECT ?2, vpn, accesses, writes, faults, firstGeneration, lastGeneration FROM pageActivity WHERE setId = ?1
                """,
            arguments: [set.id, snapshotID])
        try db.execute(
            sql: "UPDATE snapshot SET activityDigest = ? WHERE id = ?",
            arguments: [Int64(bitPattern: try keptActivityDigest(snapshotID, ofSet: set.id, in: db)), snapshotID])
    }

    /// Deletes the kept access bits and counters of the snapshots chosen by `condition` (SQL on
    /// the `snapshot` table, with `arguments`).
    static func dropKeptActivity(where condition: String, _ arguments: StatementArguments, in db: Database) throws {
        for table in ["snapshotEntryState", "snapshotPageActivity"] {
            try db.execute(
                sql: "DELETE FROM \(table) WHERE snapshotId IN (SELECT id FROM snapshot WHERE \(condition))", arguments: arguments)
        }
    }

    /// Replaces the access bits and page counters of set `setID` by those the snapshot
    /// `snapshotID` kept, and recounts the set's state digest. With `datedAt`, every counter's
    /// first and last generation become that generation (a copy's generations are its own).
    static func replaceActivity(ofSet setID: Int64, with snapshotID: Int64, datedAt generation: Int64?, in db: Database) throws {
        try db.execute(sql: "DELETE FROM entryState WHERE setId = ?", arguments: [setID])
        try db.execute(sql: "DELETE FROM pageActivity WHERE setId = ?", arguments: [setID])
        try db.execute(
            sql: "INSERT INTO entryState SELECT ?2, vpn, accessed, dirty FROM snapshotEntryState WHERE snapshotId = ?1",
            arguments: [snapshotID, setID])
        try db.execute(
            sql: """
                INSERT INTO pageActivity
                SELECT ?2, vpn, accesses, writes, faults, coalesce(?3, firstGeneration), coalesce(?3, lastGeneration)
                FROM snapshotPageActivity WHERE snapshotId = ?1
                """,
            arguments: [snapshotID, setID, generation])
        try db.execute(
            sql: "UPDATE translationSet SET stateDigest = ? WHERE id = ?",
            arguments: [Int64(bitPattern: try stateDigest(ofSet: setID, in: db)), setID])
    }

    /// The digest of the rows a snapshot kept, computed as the state digest of set `setID`
    /// holding them.
    static func keptActivityDigest(_ snapshotID: Int64, ofSet setID: Int64, in db: Database) throws -> UInt64 {
        var digest: UInt64 = 0
        let states = try CachedStatement("SELECT vpn, accessed, dirty FROM snapshotEntryState WHERE snapshotId = ?1", on: db)
        try states.bind(snapshotID)
        try states.forEach(AccessStateRow.self) { digest &+= $0.seal(setID: setID) }
        let activity = try CachedStatement("SELECT \(ActivityRow.selection) FROM snapshotPageActivity WHERE snapshotId = ?1", on: db)
        try activity.bind(snapshotID)
        try activity.forEach(ActivityRow.self) { digest &+= $0.seal(setID: setID) }
        return digest
    }

    /// Snapshots whose kept rows do not match their recorded digest, and kept rows of no
    /// snapshot that keeps any.
    static func keptActivityProblems(in db: Database) throws -> [String] {
        var problems: [String] = []
        let snapshots = try CachedStatement("SELECT * FROM snapshot WHERE activityDigest IS NOT NULL ORDER BY id", on: db)
        for row in try snapshots.all(SnapshotRow.self) {
            if try keptActivityDigest(row.id, ofSet: row.setID, in: db) != row.activityDigest.map({ UInt64(bitPattern: $0) }) {
                problems.append(
                    "snapshot '\(row.name)' of set id \(row.setID): its kept access bits or page counters do not match their digest")
            }
        }
        return problems + (try String.fetchAll(db, sql: """
            SELECT 'kept access bits or page counters of snapshot id ' || snapshotId || ', which keeps none'
            FROM (SELECT snapshotId FROM snapshotEntryState UNION SELECT snapshotId FROM snapshotPageActivity)
            WHERE snapshotId NOT IN (SELECT id FROM snapshot WHERE activityDigest IS NOT NULL)
            """))
    }
}
