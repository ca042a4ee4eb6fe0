import GRDB
import MMUCore

extension WarmSet {
    /// The set's live entries and counters read from the database into a copy with `stamp`;
    /// `nil` when the global set has live entries (every lookup would have to merge them), the
    /// set holds more than ``limit`` live entries or counters, or two live rows start at one page
    /// (a damaged file, which the database's own lookups handle and `check` reports).
    static func read(_ set: StoredSet, stamp: Stamp, in db: Database) throws -> WarmSet? {
        let sizes = try CachedStatement(
            """
            SELECT (SELECT coalesce(sum(entries), 0) FROM liveSummary WHERE setId = ?1) AS global,
                (SELECT coalesce(sum(entries), 0) FROM liveSummary WHERE setId = ?2) AS entries,
                (SELECT count(*) FROM pageActivity WHERE setId = ?2) AS counters
            """, on: db)
        try sizes.bind(TranslationStore.globalSetID, set.id)
        guard let size = try sizes.first(SetSize.self), size.global == 0, size.entries <= limit, size.counters <= limit else {
            return nil
        }
        let entries = try CachedStatement(
            """
            SELECT \(EntryRow.selection), \(EntryRow.accessSelection)
            FROM mmuEntry e LEFT JOIN entryState s ON s.setId = e.setId AND s.vpn = e.vpn
            WHERE e.setId = ?1 AND e.died IS NULL
            """, on: db)
        try entries.bind(set.id)
        var live: [UInt64: MMUEntry] = [:]
        var duplicated = false
        try entries.forEach(EntryRow.self) { row in
            let entry = try row.entry(inSet: set.info.name, global: false)
            duplicated = duplicated || live.updateValue(entry, forKey: entry.pageNumber) != nil
        }
        if duplicated { return nil }
        let counters = try CachedStatement("SELECT \(ActivityRow.selection) FROM pageActivity WHERE setId = ?1", on: db)
        try counters.bind(set.id)
        var counted: [Int64: ActivityRow] = [:]
        try counters.forEach(ActivityRow.self) { counted[$0.page] = $0 }
        return WarmSet(setID: set.id, stamp: stamp, entries: live, counters: counted)
    }
}

/// How much a set would put in memory, and whether the global set has live entries.
private struct SetSize: StoredRow {
    var global: Int64
    var entries: Int64
    var counters: Int64

    static func columns(in statement: CachedStatement) throws(StoreError) -> (Int32, Int32, Int32) {
        (try statement.column("global"), try statement.column("entries"), try statement.column("counters"))
    }

    init(_ statement: CachedStatement, _ columns: (Int32, Int32, Int32)) {
        global = statement.int64(columns.0)
        entries = statement.int64(columns.1)
        counters = statement.int64(columns.2)
    }
}
