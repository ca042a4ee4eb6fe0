import GRDB
import MMUCore

extension TranslationStore {
    /// The set as it was at `version`: its private entries merged with the global entries it
    /// saw, and its memory areas. Accessed/dirty bits (and, if asked, page activity) are
    /// unversioned and only present at the head.
    ///
    /// - Complexity: O(*n* + *h*) for *n* entries and *h* rows of history.
    /// - Throws: ``StoreError`` `notFound`, `compacted`, `invalidData` (a damaged file).
    public func translationSet(named name: String, at version: Version = .head, includingActivity: Bool = false)
        throws(StoreError) -> TranslationSet
    {
        try read { db in
            let set = try StoredSet.require(db, named: name)
            let view = try resolve(version, of: set, in: db)
            return try Self.load(set, view, includingActivity: includingActivity, in: db)
        }
    }

    /// Reads the entries, areas and (optionally) activity of a resolved version.
    static func load(_ set: StoredSet, _ view: ResolvedVersion, includingActivity: Bool, in db: Database) throws -> TranslationSet {
        let isGlobal = set.id == globalSetID
        let own = try entries(ofSet: set.id, named: set.info.name, global: isGlobal, at: view.generation, accessState: view.isHead, in: db)
        var merged = own
        if !isGlobal {
            let global = try entries(ofSet: globalSetID, named: globalSetName, global: true, at: view.globalGeneration, accessState: view.isHead, in: db)
            if !global.isEmpty {
                merged = merge(own, global)
                if let clash = zip(merged, merged.dropFirst()).first(where: { $0.range.upperPage > $1.pageNumber }) {
                    throw StoreError(.invalidData, "set '\(set.info.name)': \(clash.0) overlaps \(clash.1)")
                }
            }
        }
        var activity: [UInt64: PageActivity] = [:]
        if includingActivity && view.isHead {
            let query = try CachedStatement("SELECT \(ActivityRow.selection) FROM pageActivity WHERE setId = ?1", on: db)
            try query.bind(set.id)
            try query.forEach(ActivityRow.self) { row in
                let page = row.page, accesses = row.accesses, writes = row.writes, faults = row.faults
                guard page >= 0, UInt64(page) < VirtualRange.pageLimit, accesses >= 0, writes >= 0, faults >= 0 else {
                    throw StoreError(
                        .invalidData,
                        "set '\(set.info.name)': the pageActivity row of page \(page) holds accesses \(accesses), writes \(writes), faults \(faults) (a page number below 2^52 and counts of 0 or more are expected)")
                }
                activity[UInt64(page)] = PageActivity(accesses: UInt64(accesses), writes: UInt64(writes), faults: UInt64(faults))
            }
        }
        return TranslationSet(
            validatedEntries: merged, architecture: set.info.architecture, pageActivity: activity,
            areas: try areas(ofSet: set.id, named: set.info.name, at: view.generation, in: db))
    }

    /// The entries of one stored set visible at `generation`, sorted, checked to be disjoint.
    static func entries(ofSet setID: Int64, named name: String, global: Bool, at generation: Int64, accessState: Bool, in db: Database) throws -> [MMUEntry] {
        let sql = accessState
            ? """
            SELECT \(EntryRow.selection), \(EntryRow.accessSelection)
            FROM mmuEntry e LEFT JOIN entryState s ON s.setId = e.setId AND s.vpn = e.vpn
            WHERE e.setId = ?1 AND e.died IS NULL ORDER BY e.vpn
            """
            : """
            SELECT \(EntryRow.selection) FROM mmuEntry e
            WHERE e.setId = ?1 AND e.born <= ?2 AND (e.died IS NULL OR e.died > ?2) ORDER BY e.vpn
            """
        let query = try CachedStatement(sql, on: db)
        if accessState { try query.bind(setID) } else { try query.bind(setID, generation) }
        var result: [MMUEntry] = []
        var end: UInt64 = 0
        try query.forEach(EntryRow.self) { row in
            let entry = try row.entry(inSet: name, global: global)
            guard entry.pageNumber >= end else {
                throw StoreError(.invalidData, "set '\(name)': \(entry) overlaps the entry before it")
            }
            end = entry.range.upperPage
            result.append(entry)
        }
        return result
    }

    /// The memory areas of a stored set visible at `generation`, sorted.
    static func areas(ofSet setID: Int64, named name: String, at generation: Int64, in db: Database) throws -> [MemoryArea] {
        let query = try CachedStatement(
            "SELECT \(AreaRow.selection) FROM memoryArea WHERE setId = ?1 AND born <= ?2 AND (died IS NULL OR died > ?2) ORDER BY vpn", on: db)
        try query.bind(setID, generation)
        return try query.all(AreaRow.self).map { try $0.area(inSet: name) }
    }

    /// Two sorted, disjoint lists merged in order.
    static func merge(_ first: [MMUEntry], _ second: [MMUEntry]) -> [MMUEntry] {
        var result: [MMUEntry] = []
        result.reserveCapacity(first.count + second.count)
        var i = 0, j = 0
        while i < first.count || j < second.count {
            if j == second.count || (i < first.count && first[i].pageNumber < second[j].pageNumber) {
                result.append(first[i])
                i += 1
            } else {
                result.append(second[j])
                j += 1
            }
        }
        return result
    }
}
