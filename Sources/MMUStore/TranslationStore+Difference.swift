import GRDB
import MMUCore

extension TranslationStore {
    /// How a set changed between two of its versions, read through the generation indexes:
    /// only rows born or died between the two generations are read, so the cost is
    /// proportional to the changes, not to the set.
    ///
    /// - Parameters:
    ///   - from: The older side (the diff may also run backwards, from a newer version).
    ///   - ignoringFrames: Compare layouts only.
    /// - Complexity: O(*c* log *c*) for *c* changed rows (the set's and the global set's).
    /// - Throws: ``StoreError`` `notFound`, `compacted`, `invalidData`.
    public func difference(of name: String, from: Version, to: Version, ignoringFrames: Bool = false) throws(StoreError)
        -> TranslationSet.Difference
    {
        try read { db in
            let set = try StoredSet.require(db, named: name)
            let old = try resolve(from, of: set, in: db), new = try resolve(to, of: set, in: db)
            var (oldEntries, newEntries) = try Self.changedEntries(
                ofSet: set.id, named: name, global: set.id == Self.globalSetID, from: old.generation, to: new.generation, in: db)
            if set.id != Self.globalSetID {
                let (oldGlobal, newGlobal) = try Self.changedEntries(
                    ofSet: Self.globalSetID, named: Self.globalSetName, global: true, from: old.globalGeneration,
                    to: new.globalGeneration, in: db)
                oldEntries = Self.merge(oldEntries, oldGlobal)
                newEntries = Self.merge(newEntries, newGlobal)
            }
            return TranslationSet.Difference(from: oldEntries, to: newEntries, ignoringFrames: ignoringFrames)
        }
    }

    /// The rows of one stored set that differ between generations `from` and `to`: on each
    /// side, the rows visible there that are not visible on the other side.
    static func changedEntries(ofSet setID: Int64, named name: String, global: Bool, from: Int64, to: Int64, in db: Database)
        throws -> (old: [MMUEntry], new: [MMUEntry])
    {
        guard from != to else { return ([], []) }
        let low = min(from, to), high = max(from, to)
        var died = try fetch(
            "SELECT \(EntryRow.columns) FROM mmuEntry e WHERE e.setId = ?1 AND e.died > ?2 AND e.died <= ?3 AND e.born <= ?2",
            setID, low, high, name: name, global: global, in: db)
        var born = try fetch(
            "SELECT \(EntryRow.columns) FROM mmuEntry e WHERE e.setId = ?1 AND e.bgen > ?2 AND e.bgen <= ?3 AND (e.died IS NULL OR e.died > ?3)",
            setID, low, high, name: name, global: global, in: db)
        if low < 0 {
            born += try fetch(
                "SELECT \(EntryRow.columns) FROM mmuEntry e WHERE e.setId = ?1 AND e.born = 0 AND (e.died IS NULL OR e.died > ?3) AND ?2 < 0",
                setID, low, high, name: name, global: global, in: db)
        }
        died.sort { $0.pageNumber < $1.pageNumber }
        born.sort { $0.pageNumber < $1.pageNumber }
        return from < to ? (died, born) : (born, died)
    }

    private static func fetch(_ sql: String, _ setID: Int64, _ low: Int64, _ high: Int64, name: String, global: Bool, in db: Database) throws -> [MMUEntry] {
        let query = try SQLiteStatement(db, sql)
        query.bind(setID, low, high)
        var result: [MMUEntry] = []
        while try query.step() { result.append(try EntryRow.decode(query, setName: name, global: global, accessState: false)) }
        return result
    }

    /// The query plans of the two index reads of a diff, for tests that guard them.
    func differencePlans() throws(StoreError) -> [String] {
        try read { db in
            let deaths = "SELECT vpn FROM mmuEntry e WHERE e.setId = ?1 AND e.died > ?2 AND e.died <= ?3 AND e.born <= ?2"
            let births = "SELECT vpn FROM mmuEntry e WHERE e.setId = ?1 AND e.bgen > ?2 AND e.bgen <= ?3 AND (e.died IS NULL OR e.died > ?3)"
            return try [deaths, births].flatMap { sql in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: [2, 3, 4]).map { row in
                    try row.decode(String.self, atIndex: 3)
                }
            }
        }
    }
}
