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
}

extension TranslationStore {
    /// Checks the file and every invariant of the store.
    ///
    /// SQLite's `quick_check` (`integrity_check` when `deep`), then: live entries of each set
    /// (with the global ones) never overlap and are valid for the set's architecture;
    /// generation ranges lie within each set's head; every set's log generations run from 0 to
    /// its head and the store's sequence numbers are contiguous; snapshots name existing
    /// generations; live memory areas of a set never overlap and their generation ranges lie
    /// within its head; the live summary equals a recount; every content digest recorded (the
    /// head's and every logged generation's still in history) equals a recount, which catches
    /// rows changed behind the store's back; access bits belong to live entries.
    ///
    /// - Complexity: O(*n*) in the number of rows.
    /// - Throws: ``StoreError`` only when the database cannot be read at all.
    public func check(deep: Bool = false) throws(StoreError) -> CheckReport {
        try read { db in
            var report = CheckReport()
            func run(_ name: String, _ body: () throws -> [String]) throws {
                report.checks.append(name)
                report.problems += try body().map { "\(name): \($0)" }
            }
            try run(deep ? "integrity_check" : "quick_check") {
                let rows = try String.fetchAll(db, sql: deep ? "PRAGMA integrity_check" : "PRAGMA quick_check")
                return rows == ["ok"] ? [] : rows
            }
            let sets = try StoredSet.all(db)
            try run("entries") {
                var problems: [String] = []
                let global = try Self.entries(ofSet: Self.globalSetID, named: Self.globalSetName, global: true, at: -1, accessState: true, in: db)
                for set in sets where set.id != Self.globalSetID {
                    do {
                        let own = try Self.entries(ofSet: set.id, named: set.info.name, global: false, at: -1, accessState: true, in: db)
                        let merged = Self.merge(own, global)
                        for (a, b) in zip(merged, merged.dropFirst()) where a.range.upperPage > b.pageNumber {
                            problems.append("set '\(set.info.name)': live entries \(a) and \(b) overlap")
                        }
                        if let architecture = set.info.architecture {
                            for entry in own {
                                do { try architecture.check(entry) } catch {
                                    problems.append("set '\(set.info.name)': \(entry): \(error)")
                                }
                            }
                        }
                    } catch let error as StoreError {
                        problems.append(error.message)
                    }
                }
                return problems
            }
            try run("generations") {
                try String.fetchAll(db, sql: """
                    SELECT 'set ' || quote(t.name) || ': row at page ' || printf('0x%x', e.vpn) || ' has born ' || e.born
                        || coalesce(', died ' || e.died, '') || ' beyond head ' || t.headGeneration
                    FROM mmuEntry e JOIN translationSet t ON t.id = e.setId
                    WHERE e.born > t.headGeneration OR e.died > t.headGeneration
                    UNION ALL
                    SELECT 'orphan entry rows of set id ' || setId FROM mmuEntry WHERE setId NOT IN (SELECT id FROM translationSet) GROUP BY setId
                    UNION ALL
                    SELECT 'set ' || quote(t.name) || ': ' || count(*) || ' live versions at page ' || printf('0x%x', e.vpn)
                    FROM mmuEntry e JOIN translationSet t ON t.id = e.setId WHERE e.died IS NULL GROUP BY e.setId, e.vpn HAVING count(*) > 1
                    """)
            }
            try run("log") {
                var problems = try String.fetchAll(db, sql: """
                    SELECT 'sequence numbers run from ' || min(sequence) || ' to ' || max(sequence) || ' over ' || count(*) || ' rows'
                    FROM transactionLog HAVING count(*) > 0 AND (min(sequence) <> 1 OR max(sequence) <> count(*))
                    """)
                for set in sets where set.id != Self.globalSetID {
                    let generations = try Int64.fetchAll(db, sql: "SELECT generation FROM transactionLog WHERE setId = ? ORDER BY generation", arguments: [set.id])
                    if generations != Array(0..<(set.info.headGeneration + 1)) {
                        problems.append("set '\(set.info.name)': log generations are not 0...\(set.info.headGeneration)")
                    }
                }
                return problems
            }
            try run("areas") {
                try String.fetchAll(db, sql: """
                    SELECT 'set ' || quote(t.name) || ': live memory areas at ' || printf('0x%x', a.previous << 12) || ' and '
                        || printf('0x%x', a.vpn << 12) || ' overlap'
                    FROM (SELECT setId, vpn, lag(vpn) OVER w AS previous, lag(vpn + pageCount) OVER w AS previousEnd
                          FROM memoryArea WHERE died IS NULL WINDOW w AS (PARTITION BY setId ORDER BY vpn)) a
                    JOIN translationSet t ON t.id = a.setId
                    WHERE a.previousEnd > a.vpn
                    UNION ALL
                    SELECT 'set ' || quote(t.name) || ': memory area at ' || printf('0x%x', a.vpn << 12) || ' has born ' || a.born
                        || coalesce(', died ' || a.died, '') || ' beyond head ' || t.headGeneration
                    FROM memoryArea a JOIN translationSet t ON t.id = a.setId
                    WHERE a.born > t.headGeneration OR a.died > t.headGeneration
                    UNION ALL
                    SELECT 'orphan memory area rows of set id ' || setId FROM memoryArea
                    WHERE setId NOT IN (SELECT id FROM translationSet) GROUP BY setId
                    """)
            }
            try run("snapshots") {
                try String.fetchAll(db, sql: """
                    SELECT 'set ' || quote(t.name) || ': snapshot ' || quote(s.name) || ' names generation ' || s.generation
                        || ' outside ' || t.compactedThrough || '...' || t.headGeneration
                    FROM snapshot s JOIN translationSet t ON t.id = s.setId
                    WHERE s.generation > t.headGeneration OR (s.generation < t.compactedThrough AND s.generation >= 0)
                    """)
            }
            try run("summary") {
                try String.fetchAll(db, sql: """
                    WITH recount AS (
                        SELECT setId, pageShift, protection, count(*) AS entries FROM mmuEntry WHERE died IS NULL
                        GROUP BY setId, pageShift, protection)
                    SELECT 'set id ' || coalesce(r.setId, s.setId) || ', page shift ' || coalesce(r.pageShift, s.pageShift)
                        || ', protection ' || coalesce(r.protection, s.protection) || ': summary says '
                        || coalesce(s.entries, 0) || ' live entries, recount finds ' || coalesce(r.entries, 0)
                    FROM recount r FULL OUTER JOIN liveSummary s
                        ON s.setId = r.setId AND s.pageShift = r.pageShift AND s.protection = r.protection
                    WHERE coalesce(r.entries, 0) <> coalesce(s.entries, 0)
                    """)
            }
            try run("digests") { try Self.digestProblems(sets: sets, in: db) }
            try run("access state") {
                try String.fetchAll(db, sql: """
                    SELECT 'access bits at page ' || printf('0x%x', s.vpn) || ' of set id ' || s.setId || ' belong to no live entry'
                    FROM entryState s
                    WHERE NOT EXISTS (SELECT 1 FROM mmuEntry e WHERE e.setId = s.setId AND e.vpn = s.vpn AND e.died IS NULL)
                    """)
            }
            return report
        }
    }

    /// Recomputes every set's content digest at its head and at every logged generation still
    /// in history, from the rows' birth and death generations, and compares with the records.
    static func digestProblems(sets: [StoredSet], in db: Database) throws -> [String] {
        var problems: [String] = []
        var perSet: [Int64: [Int64: UInt64]] = [:]
        let rows = try SQLiteStatement(db, "SELECT \(EntryRow.columns), e.setId, e.born, e.died FROM mmuEntry e")
        let names = Dictionary(uniqueKeysWithValues: sets.map { ($0.id, $0.info.name) })
        while try rows.step() {
            let setID = rows.int64(5)
            let entry = try EntryRow.decode(rows, setName: names[setID] ?? "#\(setID)", global: false, accessState: false)
            perSet[setID, default: [:]][rows.int64(6), default: 0] &+= entry.contentHash
            if !rows.isNull(7) { perSet[setID, default: [:]][rows.int64(7), default: 0] &-= entry.contentHash }
        }
        /// The digest at every generation from `from` through `through`.
        func digests(_ setID: Int64, through head: Int64) -> [Int64: UInt64] {
            var result: [Int64: UInt64] = [-1: 0]
            var running: UInt64 = 0
            let deltas = perSet[setID] ?? [:]
            if head >= 0 {
                for generation in 0...head {
                    running &+= deltas[generation] ?? 0
                    result[generation] = running
                }
            }
            return result
        }
        let global = sets.first { $0.id == globalSetID }
        let globalDigests = digests(globalSetID, through: global?.info.headGeneration ?? -1)
        for set in sets {
            let own = set.id == globalSetID ? globalDigests : digests(set.id, through: set.info.headGeneration)
            if own[set.info.headGeneration] != set.info.headDigest {
                problems.append("set '\(set.info.name)': the live rows do not match the recorded head digest")
            }
            guard set.id != globalSetID else { continue }
            let logged = try Row.fetchAll(
                db, sql: "SELECT generation, globalGeneration, digest, globalDigest FROM transactionLog WHERE setId = ? AND generation >= ?",
                arguments: [set.id, set.info.compactedThrough])
            for row in logged {
                let generation: Int64 = try row.decode(atIndex: 0), globalGeneration: Int64 = try row.decode(atIndex: 1)
                if own[generation] != UInt64(bitPattern: try row.decode(Int64.self, atIndex: 2)) {
                    problems.append("set '\(set.info.name)': generation \(generation) does not match its logged digest")
                }
                if globalGeneration >= (global?.info.compactedThrough ?? -1),
                    globalDigests[globalGeneration] != UInt64(bitPattern: try row.decode(Int64.self, atIndex: 3))
                {
                    problems.append("set '\(set.info.name)': global generation \(globalGeneration) does not match its logged digest")
                }
            }
        }
        return problems
    }
}
