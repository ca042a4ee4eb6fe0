import MMUCore

/// The unversioned state a transaction writes: access bits (`entryState`) and page counters
/// (`pageActivity`), with the set's state digest kept current.
extension StoreBackend {
    func setAccessState(_ state: MMUEntry.Attributes, of entry: MMUEntry) throws {
        let setID = entry.isGlobal ? TranslationStore.globalSetID : set.id
        try writeAccessState(setID: setID, page: Int64(entry.pageNumber), from: entry.attributes, to: state)
    }

    /// The hash of the `entryState` row that access bits `state` make.
    static func stateHash(_ setID: Int64, _ page: Int64, _ state: MMUEntry.Attributes) -> UInt64 {
        Seal.accessState(setID: setID, page: page, accessed: state.contains(.accessed), dirty: state.contains(.dirty))
    }

    /// Replaces the access bits `old` of a page's entry by `new` (a row only while a bit is set),
    /// keeping the set's state digest current.
    func writeAccessState(setID: Int64, page: Int64, from old: MMUEntry.Attributes, to new: MMUEntry.Attributes) throws {
        let old = old.intersection(.accessState), new = new.intersection(.accessState)
        if setID == set.id { warm?.setAccessState(new, ofEntryAt: UInt64(page)) }
        if !old.isEmpty { stateDeltas[setID, default: 0] &-= Self.stateHash(setID, page, old) }
        if new.isEmpty {
            let delete = try prepared("DELETE FROM entryState WHERE setId = ?1 AND vpn = ?2")
            try delete.bind(setID, page)
            try delete.execute()
        } else {
            stateDeltas[setID, default: 0] &+= Self.stateHash(setID, page, new)
            let upsert = try prepared("""
                INSERT INTO entryState (setId, vpn, accessed, dirty) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (setId, vpn) DO UPDATE SET accessed = excluded.accessed, dirty = excluded.dirty
                """)
            try upsert.bind(setID, page, new.contains(.accessed) ? 1 : 0, new.contains(.dirty) ? 1 : 0)
            try upsert.execute()
        }
    }

    func record(_ activity: PageActivity, forPage pageNumber: UInt64) throws {
        let page = Int64(pageNumber)
        let old: ActivityRow?
        if let warm {
            old = warm.counters[page]
        } else {
            let read = try prepared("SELECT \(ActivityRow.selection) FROM pageActivity WHERE setId = ?1 AND vpn = ?2")
            try read.bind(set.id, page)
            old = try read.first(ActivityRow.self)
        }
        let row = count(activity, onPage: page, over: old)
        try write(row, through: try prepared(Self.activityUpsert))
        warm?.counters[page] = row
    }

    /// The counters of a batch of pages: those already counted taken from the set's copy in
    /// memory, or read by ``counters(of:)`` without one, then one update per page already
    /// counted and one insert per new page.
    func record(_ activities: [(page: UInt64, activity: PageActivity)]) throws {
        // Read only without a copy in memory: holding the copy's dictionary here as well would
        // make the first write below copy all of it.
        let stored = warm == nil ? try counters(of: activities.map(\.page)) : [:]
        // The rows read are updated in place, the others inserted: no insert that fails into an update.
        let update = try prepared(
            "UPDATE pageActivity SET accesses = ?3, writes = ?4, faults = ?5, lastGeneration = ?6 WHERE setId = ?1 AND vpn = ?2")
        let insert = try prepared(Self.activityInsert)
        for (pageNumber, activity) in activities {
            let page = Int64(pageNumber)
            let old = warm == nil ? stored[page] : warm?.counters[page]
            let row = count(activity, onPage: page, over: old)
            if old == nil {
                try write(row, through: insert)
            } else {
                try update.bind(set.id, row.page, row.accesses, row.writes, row.faults, row.lastGeneration)
                try update.execute()
            }
            warm?.counters[page] = row
        }
    }

    /// The stored counters of `pages` (sorted), read by one range query per run of pages less
    /// than ``TranslationSet/Transaction/activityLookupGap`` apart.
    private func counters(of pages: [UInt64]) throws -> [Int64: ActivityRow] {
        let read = try prepared("SELECT \(ActivityRow.selection) FROM pageActivity WHERE setId = ?1 AND vpn >= ?2 AND vpn < ?3")
        var known: [Int64: ActivityRow] = [:]
        var runStart = 0
        while runStart < pages.count {
            var runEnd = runStart + 1
            while runEnd < pages.count, pages[runEnd] - pages[runEnd - 1] < TranslationSet.Transaction.activityLookupGap { runEnd += 1 }
            try read.bind(set.id, Int64(pages[runStart]), Int64(pages[runEnd - 1]) + 1)
            try read.forEach(ActivityRow.self) { known[$0.page] = $0 }
            runStart = runEnd
        }
        return known
    }

    /// The counters of `page` after `activity`, from its row `old` if it has one (its first
    /// generation kept), with the set's state digest moved from the old row to the new one.
    private func count(_ activity: PageActivity, onPage page: Int64, over old: ActivityRow?) -> ActivityRow {
        if let old { stateDeltas[set.id, default: 0] &-= old.seal(setID: set.id) }
        let row = ActivityRow(
            page: page, accesses: (old?.accesses ?? 0) &+ Int64(clamping: activity.accesses),
            writes: (old?.writes ?? 0) &+ Int64(clamping: activity.writes), faults: (old?.faults ?? 0) &+ Int64(clamping: activity.faults),
            firstGeneration: old?.firstGeneration ?? generation, lastGeneration: generation)
        stateDeltas[set.id, default: 0] &+= row.seal(setID: set.id)
        return row
    }

    /// Writes a page's counters through ``activityInsert`` or ``activityUpsert``.
    private func write(_ row: ActivityRow, through statement: CachedStatement) throws(StoreError) {
        try statement.bind(set.id, row.page, row.accesses, row.writes, row.faults, row.firstGeneration, row.lastGeneration)
        try statement.execute()
    }

    /// Writes the counters of a page that has none yet.
    private static let activityInsert = """
        INSERT INTO pageActivity (setId, vpn, accesses, writes, faults, firstGeneration, lastGeneration)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
        """

    /// Writes a page's counters, its first generation kept when the row exists.
    private static let activityUpsert = activityInsert + """

        ON CONFLICT (setId, vpn) DO UPDATE SET accesses = excluded.accesses, writes = excluded.writes,
            faults = excluded.faults, lastGeneration = excluded.lastGeneration
        """
}
