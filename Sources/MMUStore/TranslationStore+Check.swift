import GRDB
import MMUCore

/// The findings of ``TranslationStore/check(deep:)``: empty when the store is sound.
public struct CheckReport: Hashable, Sendable, Codable {
    /// What was checked, in order.
    public var checks: [String] = []
    /// Every violation found, each naming the set, row or count involved.
    public var problems: [String] = []

    /// Whether nothing is wrong.
    public var isSound: Bool { problems.isEmpty }

    /// Runs one named check, recording its problems prefixed by its name.
    mutating func run(_ name: String, _ body: () throws -> [String]) rethrows {
        checks.append(name)
        problems += try body().map { "\(name): \($0)" }
    }
}

extension TranslationStore {
    /// Checks the file and every invariant of the store.
    ///
    /// SQLite's `quick_check` (`integrity_check` when `deep`), then: the schema is exactly the
    /// one this program's migrations make (no table, index, view or trigger added, missing or
    /// changed; see ``schemaProblems(_:)``); live entries of each set
    /// (with the global ones) never overlap and are valid for the set's architecture;
    /// generation ranges lie within each set's head; every set's log generations run from 0 to
    /// its head and the store's sequence numbers are contiguous; snapshots name existing
    /// generations; the live summary equals a recount; every content digest recorded (the
    /// head's and every logged generation's still in history) equals a recount, which catches
    /// rows changed behind the store's back; access bits belong to live entries.
    ///
    /// - Complexity: O(*n*) in the number of rows.
    /// - Throws: ``StoreError`` only when the database cannot be read at all.
    public func check(deep: Bool = false) throws(StoreError) -> CheckReport {
        try read { db in
            var report = CheckReport()
            try report.run(deep ? "integrity_check" : "quick_check") {
                let rows = try String.fetchAll(db, sql: deep ? "PRAGMA integrity_check" : "PRAGMA quick_check")
                return rows == ["ok"] ? [] : rows
            }
            try report.run("schema") { try Self.schemaProblems(db) }
            try Self.checkInvariants(in: db, into: &report)
            return report
        }
    }

    /// Checks every store invariant (everything ``check(deep:)`` does after SQLite's own check).
    ///
    /// The entry invariants come from one pass over `mmuEntry` in primary-key order
    /// (``EntryScan``); the rest are small SQL queries.
    static func checkInvariants(in db: Database, into report: inout CheckReport) throws {
        let sets = try StoredSet.all(db)
        let scan = try EntryScan(sets: sets, in: db)
        report.run("entries") { scan.entryProblems }
        report.run("generations") { scan.generationProblems }
        try report.run("log") {
            var problems = try String.fetchAll(db, sql: """
                SELECT 'sequence numbers run from ' || min(sequence) || ' to ' || max(sequence) || ' over ' || count(*) || ' rows'
                FROM transactionLog HAVING count(*) > 0 AND (min(sequence) <> 1 OR max(sequence) <> count(*))
                """)
            for set in sets where set.id != Self.globalSetID {
                let generations = try Int64.fetchAll(db, sql: "SELECT generation FROM transactionLog WHERE setId = ? ORDER BY generation", arguments: [set.id])
                if Int64(generations.count) != set.info.headGeneration + 1 || generations.enumerated().contains(where: { Int64($0.offset) != $0.element }) {
                    problems.append("set '\(set.info.name)': log generations are not 0...\(set.info.headGeneration)")
                }
            }
            return problems + (try TransactionLogRecord.chainProblems(db))
        }
        try report.run("snapshots") {
            try String.fetchAll(db, sql: """
                SELECT 'set ' || quote(t.name) || ': snapshot ' || quote(s.name) || ' names generation ' || s.generation
                    || ' outside ' || t.compactedThrough || '...' || t.headGeneration
                FROM snapshot s JOIN translationSet t ON t.id = s.setId
                WHERE s.generation > t.headGeneration OR (s.generation < t.compactedThrough AND s.generation >= 0)
                """)
        }
        try report.run("summary") {
            var recorded: [EntryScan.SummaryKey: Int64] = [:]
            try CachedStatement("SELECT setId, pageShift, protection, entries FROM liveSummary", on: db).forEach(SummaryRow.self) { row in
                recorded[EntryScan.SummaryKey(setID: row.setID, shift: row.pageShift, protection: row.protection)] = row.entries
            }
            return Set(recorded.keys).union(scan.summary.keys).sorted { ($0.setID, $0.shift, $0.protection) < ($1.setID, $1.shift, $1.protection) }.compactMap { key in
                let says = recorded[key] ?? 0, finds = scan.summary[key] ?? 0
                return says == finds ? nil : "set id \(key.setID), page shift \(key.shift), protection \(key.protection): summary says \(says) live entries, recount finds \(finds)"
            }
        }
        try report.run("digests") { try scan.digestProblems(in: db) }
        try report.run("areas") {
            var problems: [String] = []
            let query = try CachedStatement("SELECT \(AreaRow.selection), setId FROM memoryArea WHERE died IS NULL ORDER BY setId, vpn", on: db)
            var previous: (setID: Int64, area: MemoryArea)?
            try query.forEach(AreaRow.self) { row in
                let setID = row.setID ?? 0, name = scan.names[setID] ?? "#\(setID)"
                do {
                    let area = try row.area(inSet: name)
                    if let previous, previous.setID == setID, previous.area.range.overlaps(area.range) {
                        problems.append("set '\(name)': live memory areas \(previous.area.range) and \(area.range) overlap")
                    }
                    previous = (setID, area)
                } catch let error as StoreError {
                    problems.append(error.message)
                }
            }
            return problems + (try String.fetchAll(db, sql: """
                SELECT 'set ' || quote(t.name) || ': memory area at ' || printf('0x%x', a.vpn << 12) || ' has born ' || a.born
                    || coalesce(', died ' || a.died, '') || ' beyond head ' || t.headGeneration
                FROM memoryArea a JOIN translationSet t ON t.id = a.setId
                WHERE a.born > t.headGeneration OR a.died > t.headGeneration
                UNION ALL
                SELECT 'orphan memory area rows of set id ' || setId FROM memoryArea
                WHERE setId NOT IN (SELECT id FROM translationSet) GROUP BY setId
                """))
        }
        try report.run("seals") { try Self.sealProblems(sets, in: db) }
        try report.run("state digests") {
            try sets.compactMap { set in
                try Self.stateDigest(ofSet: set.id, in: db) == set.info.stateDigest
                    ? nil : "set '\(set.info.name)': access bits or page counters do not match the recorded state digest"
            } + (try Self.keptActivityProblems(in: db))
        }
        try report.run("access state") {
            try String.fetchAll(db, sql: """
                SELECT 'access bits at page ' || printf('0x%x', s.vpn) || ' of set id ' || s.setId || ' belong to no live entry'
                FROM entryState s
                WHERE NOT EXISTS (SELECT 1 FROM mmuEntry e WHERE e.setId = s.setId AND e.vpn = s.vpn AND e.died IS NULL)
                """)
        }
    }

    /// The digest of a set's `entryState` and `pageActivity` rows, as a recount.
    static func stateDigest(ofSet setID: Int64, in db: Database) throws -> UInt64 {
        var digest: UInt64 = 0
        let states = try CachedStatement("SELECT vpn, accessed, dirty FROM entryState WHERE setId = ?1", on: db)
        try states.bind(setID)
        try states.forEach(AccessStateRow.self) { digest &+= $0.seal(setID: setID) }
        let activity = try CachedStatement("SELECT \(ActivityRow.selection) FROM pageActivity WHERE setId = ?1", on: db)
        try activity.bind(setID)
        try activity.forEach(ActivityRow.self) { digest &+= $0.seal(setID: setID) }
        return digest
    }

    /// Set and snapshot rows whose seal does not match their fields, and a global set row that
    /// is not the one the migration made.
    static func sealProblems(_ sets: [StoredSet], in db: Database) throws -> [String] {
        var problems: [String] = []
        for set in sets {
            let stored = UInt64(bitPattern: try Int64.fetchOne(db, sql: "SELECT seal FROM translationSet WHERE id = ?", arguments: [set.id]) ?? 0)
            let seal = Seal.set(
                id: set.id, name: set.info.name, architecture: set.info.architectureName, createdAt: set.info.createdAt,
                compactedThrough: set.info.compactedThrough)
            if stored != seal { problems.append("set '\(set.info.name)': its row was changed after it was written") }
        }
        if !sets.contains(where: { $0.id == globalSetID && $0.info.name == globalSetName && $0.info.architectureName == nil }) {
            problems.append("the global set (id 1, named 'global', no architecture) is missing or altered")
        }
        try CachedStatement("SELECT * FROM snapshot", on: db).forEach(SnapshotRow.self) { row in
            if row.computedSeal != row.seal {
                problems.append("snapshot '\(row.name)' of set id \(row.setID): its row was changed after it was written")
            }
        }
        return problems
    }
}
