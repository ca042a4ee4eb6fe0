import GRDB
import MMUCore

extension TranslationStore {
    /// Checks a set or snapshot name: 1 to 200 printable characters, none of `@ : /`, no
    /// surrounding spaces (the CLI writes `[FILE:]SET[@SNAPSHOT]`).
    static func validate(name: String, of kind: String) throws(StoreError) {
        guard !name.isEmpty, name.count <= 200, name.trimmingCharacters(in: .whitespaces) == name,
            !name.contains(where: { "@:/".contains($0) || $0.isNewline || ($0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) })
        else {
            throw StoreError(.invalidName, "'\(name)' is not a valid \(kind) name (1 to 200 printable characters, none of @ : /)")
        }
    }

    /// Creates an empty set.
    ///
    /// - Parameters:
    ///   - architecture: The target architecture; every transaction on the set is then checked
    ///     against its page sizes and address widths.
    /// - Throws: ``StoreError`` `invalidName`, `alreadyExists`.
    @discardableResult
    public func createSet(named name: String, architecture: Architecture? = nil) throws(StoreError) -> TranslationSetInfo {
        try Self.validate(name: name, of: "set")
        return try write { db in
            if try StoredSet.fetch(db, named: name) != nil {
                throw StoreError(.alreadyExists, "a translation set named '\(name)' exists already")
            }
            try Self.insertSet(named: name, architecture: architecture, in: db)
            return try StoredSet.require(db, named: name).info
        }
    }

    /// Inserts a new set row with a fresh id (never one a deleted set's log rows still name).
    static func insertSet(named name: String, architecture: Architecture?, headGeneration: Int64 = -1, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO translationSet (id, name, architecture, headGeneration, createdAt)
                VALUES ((SELECT max(coalesce((SELECT max(id) FROM translationSet), 1), coalesce((SELECT max(setId) FROM transactionLog), 1)) + 1),
                        ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                """,
            arguments: [name, architecture?.name, headGeneration])
        try resealSet(named: name, in: db)
    }

    /// Recomputes and stores the seal of a set row after a change to a sealed field.
    static func resealSet(named name: String, in db: Database) throws {
        guard let set = try StoredSet.fetch(db, named: name) else { return }
        let seal = Seal.set(
            id: set.id, name: name, architecture: set.info.architectureName, createdAt: set.info.createdAt,
            compactedThrough: set.info.compactedThrough)
        try db.execute(sql: "UPDATE translationSet SET seal = ? WHERE id = ?", arguments: [Int64(bitPattern: seal), set.id])
    }

    /// The sets, ordered by name; the global set only when asked for.
    ///
    /// - Throws: ``StoreError`` when the database cannot be read.
    public func sets(includingGlobal: Bool = false) throws(StoreError) -> [TranslationSetInfo] {
        try read { db in
            try StoredSet.all(db).map(\.info).filter { includingGlobal || !$0.isGlobal }
        }
    }

    /// The set called `name`.
    ///
    /// - Throws: ``StoreError`` `notFound`.
    public func set(named name: String) throws(StoreError) -> TranslationSetInfo {
        try read { db in try StoredSet.require(db, named: name).info }
    }

    /// Renames a set; its history, snapshots and log follow it.
    ///
    /// - Throws: ``StoreError`` `notFound`, `alreadyExists`, `invalidName`, `readOnly` (the global set).
    public func renameSet(named name: String, to newName: String) throws(StoreError) {
        try Self.validate(name: newName, of: "set")
        try write { db in
            let set = try StoredSet.require(db, named: name)
            try Self.refuseGlobal(set, "rename")
            if try StoredSet.fetch(db, named: newName) != nil {
                throw StoreError(.alreadyExists, "a translation set named '\(newName)' exists already")
            }
            try db.execute(sql: "UPDATE translationSet SET name = ? WHERE id = ?", arguments: [newName, set.id])
            try Self.resealSet(named: newName, in: db)
        }
    }

    /// Deletes a set with its history, statistics and snapshots. Its transaction log rows stay
    /// (the audit trail keeps its contiguous sequence).
    ///
    /// - Throws: ``StoreError`` `notFound`, `readOnly` (the global set).
    public func deleteSet(named name: String) throws(StoreError) {
        try write { db in
            let set = try StoredSet.require(db, named: name)
            try Self.refuseGlobal(set, "delete")
            try Self.dropKeptActivity(where: "setId = ?", [set.id], in: db)
            for table in ["mmuEntry", "entryState", "pageActivity", "memoryArea", "liveSummary", "snapshot"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE setId = ?", arguments: [set.id])
            }
            try db.execute(sql: "DELETE FROM translationSet WHERE id = ?", arguments: [set.id])
        }
    }

    static func refuseGlobal(_ set: StoredSet, _ action: String) throws(StoreError) {
        if set.id == globalSetID {
            throw StoreError(.readOnly, "the global set cannot \(action == "update" ? "be updated directly: map entries with the global attribute from any set" : "be \(action)d")")
        }
    }

    /// Duplicates a set as it was at `version` into a new set (the proposal's `dup`: a fork).
    ///
    /// The copy starts at generation 0 with the source's private entries and areas (global
    /// entries are shared, not copied), its declared architecture, and, from the head, its
    /// accessed and dirty bits; from a snapshot that kept them, its accessed and dirty bits and
    /// its page counters as they were then (dated at the copy's generation 0).
    ///
    /// - Complexity: O(*n*) in SQL for *n* entries, one statement per table.
    /// - Throws: ``StoreError`` `notFound`, `alreadyExists`, `invalidName`, `compacted`.
    @discardableResult
    public func duplicateSet(named name: String, as newName: String, at version: Version = .head) throws(StoreError)
        -> TranslationSetInfo
    {
        try Self.validate(name: newName, of: "set")
        return try write { db in
            let source = try StoredSet.require(db, named: name)
            try Self.refuseGlobal(source, "duplicate")
            let view = try resolve(version, of: source, in: db)
            if try StoredSet.fetch(db, named: newName) != nil {
                throw StoreError(.alreadyExists, "a translation set named '\(newName)' exists already")
            }
            try Self.insertSet(named: newName, architecture: source.info.architecture, headGeneration: 0, in: db)
            let copy = try StoredSet.require(db, named: newName)
            let visible = "born <= ?2 AND (died IS NULL OR died > ?2)"
            try db.execute(
                sql: """
                    INSERT INTO mmuEntry (setId, vpn, born, pfn, pageShift, protection, cacheMode)
                    SELECT ?3, vpn, 0, pfn, pageShift, protection, cacheMode FROM mmuEntry WHERE setId = ?1 AND \(visible)
                    """,
                arguments: [source.id, view.generation, copy.id])
            try db.execute(
                sql: """
                    INSERT INTO memoryArea (setId, vpn, born, pageCount, protection, kind, isShared, name)
                    SELECT ?3, vpn, 0, pageCount, protection, kind, isShared, name FROM memoryArea WHERE setId = ?1 AND \(visible)
                    """,
                arguments: [source.id, view.generation, copy.id])
            if view.isHead {
                try db.execute(
                    sql: "INSERT INTO entryState SELECT ?2, vpn, accessed, dirty FROM entryState WHERE setId = ?1",
                    arguments: [source.id, copy.id])
                try db.execute(
                    sql: "UPDATE translationSet SET stateDigest = ? WHERE id = ?",
                    arguments: [Int64(bitPattern: try Self.stateDigest(ofSet: copy.id, in: db)), copy.id])
            } else if case .snapshot(let snapshot) = version, let kept = try Self.keptActivity(of: source, snapshot: snapshot, in: db) {
                try Self.replaceActivity(ofSet: copy.id, with: kept, datedAt: 0, in: db)
            }
            try db.execute(
                sql: """
                    INSERT INTO liveSummary (setId, pageShift, protection, entries)
                    SELECT setId, pageShift, protection, count(*) FROM mmuEntry WHERE setId = ? GROUP BY pageShift, protection
                    """,
                arguments: [copy.id])
            let copied = try Self.entries(ofSet: copy.id, named: newName, global: false, at: 0, accessState: false, in: db)
            let areas = try Self.areas(ofSet: copy.id, named: newName, at: 0, in: db)
            let digest = TranslationSet(validatedEntries: copied, architecture: nil, areas: areas).contentDigest
            try db.execute(
                sql: "UPDATE translationSet SET headDigest = ?, storedRows = ? WHERE id = ?",
                arguments: [Int64(bitPattern: digest), copied.count, copy.id])
            var counts = OperationCounts()
            counts.copies = 1
            counts.entriesAdded = copied.count
            let global = try StoredSet.require(db, named: Self.globalSetName)
            _ = try TransactionLogRecord.append(
                db, setID: copy.id, generation: 0, globalGeneration: global.info.headGeneration,
                label: "duplicate of \(name)@\(view.generation)", counts: counts, digest: digest,
                globalDigest: global.info.headDigest)
            return try StoredSet.require(db, named: newName).info
        }
    }
}
