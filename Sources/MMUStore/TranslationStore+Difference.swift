import GRDB
import MMUCore

extension TranslationStore {
    /// How a set changed between two of its versions, entries and memory areas, read through
    /// the generation indexes: only entry and area rows born or died between the two
    /// generations are read, so the cost is proportional to the changes, not to the set.
    ///
    /// - Parameters:
    ///   - from: The older side (the diff may also run backwards, from a newer version).
    ///   - ignoringFrames: Compare layouts only.
    ///   - ignoringAreas: Compare entries only; no area row is read.
    /// - Complexity: O(*c* log *c*) for *c* changed rows (the set's and the global set's).
    /// - Throws: ``StoreError`` `notFound`, `compacted`, `invalidData`.
    public func difference(of name: String, from: Version, to: Version, ignoringFrames: Bool = false, ignoringAreas: Bool = false)
        throws(StoreError) -> TranslationSet.Difference
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
            let (oldAreas, newAreas) = ignoringAreas
                ? ([], []) : try Self.changedAreas(ofSet: set.id, named: name, from: old.generation, to: new.generation, in: db)
            return TranslationSet.Difference(
                from: oldEntries, to: newEntries, areasFrom: oldAreas, to: newAreas, ignoringFrames: ignoringFrames)
        }
    }

    /// The memory area rows of one stored set that differ between generations `from` and `to`,
    /// found as ``changedEntries(ofSet:named:global:from:to:in:)`` finds entries, sorted and
    /// checked to be disjoint on each side.
    static func changedAreas(ofSet setID: Int64, named name: String, from: Int64, to: Int64, in db: Database)
        throws -> (old: [MemoryArea], new: [MemoryArea])
    {
        guard from != to else { return ([], []) }
        let low = min(from, to), high = max(from, to)
        var died = try fetchAreas(areaDeaths, setID, low, high, name: name, in: db)
        var born = try fetchAreas(areaBirths, setID, low, high, name: name, in: db)
        died.sort { $0.range.lowerPage < $1.range.lowerPage }
        born.sort { $0.range.lowerPage < $1.range.lowerPage }
        for side in [died, born] {
            if let clash = zip(side, side.dropFirst()).first(where: { $0.range.upperPage > $1.range.lowerPage }) {
                throw StoreError(.invalidData, "set '\(name)': area \(clash.0.range) overlaps area \(clash.1.range)")
            }
        }
        return from < to ? (died, born) : (born, died)
    }

    /// The area rows visible at generation ?2 that died by ?3 (read through `memoryAreaDeath`).
    static let areaDeaths = """
        SELECT a.vpn, a.pageCount, a.protection, a.kind, a.isShared, a.name FROM memoryArea a
        WHERE a.setId = ?1 AND a.died > ?2 AND a.died <= ?3 AND a.born <= ?2
        """
    /// The area rows born after generation ?2 and still visible at ?3 (read through `memoryAreaBirth`).
    static let areaBirths = """
        SELECT a.vpn, a.pageCount, a.protection, a.kind, a.isShared, a.name FROM memoryArea a
        WHERE a.setId = ?1 AND a.born > ?2 AND a.born <= ?3 AND (a.died IS NULL OR a.died > ?3)
        """

    private static func fetchAreas(_ sql: String, _ setID: Int64, _ low: Int64, _ high: Int64, name: String, in db: Database) throws -> [MemoryArea] {
        let query = try CachedStatement(sql, on: db)
        try query.bind(setID, low, high)
        return try query.all(AreaRow.self).map { try $0.area(inSet: name) }
    }

    /// The rows of one stored set that differ between generations `from` and `to`: on each
    /// side, the rows visible there that are not visible on the other side.
    static func changedEntries(ofSet setID: Int64, named name: String, global: Bool, from: Int64, to: Int64, in db: Database)
        throws -> (old: [MMUEntry], new: [MMUEntry])
    {
        guard from != to else { return ([], []) }
        let low = min(from, to), high = max(from, to)
        var died = try fetch(
            "SELECT \(EntryRow.selection) FROM mmuEntry e WHERE e.setId = ?1 AND e.died > ?2 AND e.died <= ?3 AND e.born <= ?2",
            setID, low, high, name: name, global: global, in: db)
        var born = try fetch(
            "SELECT \(EntryRow.selection) FROM mmuEntry e WHERE e.setId = ?1 AND e.bgen > ?2 AND e.bgen <= ?3 AND (e.died IS NULL OR e.died > ?3)",
            setID, low, high, name: name, global: global, in: db)
        if low < 0 {
            born += try fetch(
                "SELECT \(EntryRow.selection) FROM mmuEntry e WHERE e.setId = ?1 AND e.born = 0 AND (e.died IS NULL OR e.died > ?3) AND ?2 < 0",
                setID, low, high, name: name, global: global, in: db)
        }
        died.sort { $0.pageNumber < $1.pageNumber }
        born.sort { $0.pageNumber < $1.pageNumber }
        return from < to ? (died, born) : (born, died)
    }

    /// The rows of one of the diff's queries, through the connection's cached statement (a diff
    /// of few changes costs little more than preparing its statements otherwise).
    private static func fetch(_ sql: String, _ setID: Int64, _ low: Int64, _ high: Int64, name: String, global: Bool, in db: Database) throws -> [MMUEntry] {
        let query = try CachedStatement(sql, on: db)
        try query.bind(setID, low, high)
        var result: [MMUEntry] = []
        try query.forEach(EntryRow.self) { result.append(try $0.entry(inSet: name, global: global)) }
        return result
    }

    /// The query plans of the four index reads of a diff (entry deaths and births, area deaths
    /// and births), for tests that guard them.
    func differencePlans() throws(StoreError) -> [String] {
        try read { db in
            let deaths = "SELECT vpn FROM mmuEntry e WHERE e.setId = ?1 AND e.died > ?2 AND e.died <= ?3 AND e.born <= ?2"
            let births = "SELECT vpn FROM mmuEntry e WHERE e.setId = ?1 AND e.bgen > ?2 AND e.bgen <= ?3 AND (e.died IS NULL OR e.died > ?3)"
            return try [deaths, births, Self.areaDeaths, Self.areaBirths].flatMap { sql in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: [2, 3, 4]).map { row in
                    try row.decode(String.self, atIndex: 3)
                }
            }
        }
    }

    /// The virtual machine steps of the two area reads of a diff of `name` from generation `from`
    /// to `to`: they grow with the rows visited, for tests that guard that a diff reads only
    /// the area rows that changed.
    func areaDifferenceSteps(of name: String, from: Int64, to: Int64) throws(StoreError) -> Int {
        try read { db in
            let set = try StoredSet.require(db, named: name)
            return try [Self.areaDeaths, Self.areaBirths].reduce(0) { steps, sql in
                let query = try CachedStatement(sql, on: db)
                let before = query.virtualMachineSteps
                try query.bind(set.id, min(from, to), max(from, to))
                try query.execute()
                return steps + query.virtualMachineSteps - before
            }
        }
    }
}
