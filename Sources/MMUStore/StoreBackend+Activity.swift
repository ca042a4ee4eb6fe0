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
        if !old.isEmpty { stateDeltas[setID, default: 0] &-= Self.stateHash(setID, page, old) }
        if new.isEmpty {
            let delete = try statement("DELETE FROM entryState WHERE setId = ?1 AND vpn = ?2")
            delete.bind(setID, page)
            try delete.execute()
        } else {
            stateDeltas[setID, default: 0] &+= Self.stateHash(setID, page, new)
            let upsert = try statement("""
                INSERT INTO entryState (setId, vpn, accessed, dirty) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (setId, vpn) DO UPDATE SET accessed = excluded.accessed, dirty = excluded.dirty
                """)
            upsert.bind(setID, page, new.contains(.accessed) ? 1 : 0, new.contains(.dirty) ? 1 : 0)
            try upsert.execute()
        }
    }

    func record(_ activity: PageActivity, forPage pageNumber: UInt64) throws {
        let page = Int64(pageNumber)
        let read = try statement("SELECT accesses, writes, faults, firstGeneration, lastGeneration FROM pageActivity WHERE setId = ?1 AND vpn = ?2")
        read.bind(set.id, page)
        var counts = (accesses: Int64(0), writes: Int64(0), faults: Int64(0), first: generation)
        if try read.step() {
            counts = (read.int64(0), read.int64(1), read.int64(2), read.int64(3))
            stateDeltas[set.id, default: 0] &-= Seal.activity(
                setID: set.id, page: page, accesses: counts.accesses, writes: counts.writes, faults: counts.faults,
                first: counts.first, last: read.int64(4))
        }
        read.reset()
        counts.accesses = counts.accesses &+ Int64(clamping: activity.accesses)
        counts.writes = counts.writes &+ Int64(clamping: activity.writes)
        counts.faults = counts.faults &+ Int64(clamping: activity.faults)
        stateDeltas[set.id, default: 0] &+= Seal.activity(
            setID: set.id, page: page, accesses: counts.accesses, writes: counts.writes, faults: counts.faults, first: counts.first,
            last: generation)
        let upsert = try statement(Self.activityUpsert)
        upsert.bind(set.id, page, counts.accesses, counts.writes, counts.faults, counts.first, generation)
        try upsert.execute()
    }

    /// The counters of a batch of pages: those already counted read by one range query per
    /// run of pages less than ``TranslationSet/Transaction/activityLookupGap`` apart, then one
    /// upsert per page.
    func record(_ activities: [(page: UInt64, activity: PageActivity)]) throws {
        let read = try statement("""
            SELECT vpn, accesses, writes, faults, firstGeneration, lastGeneration FROM pageActivity
            WHERE setId = ?1 AND vpn >= ?2 AND vpn < ?3
            """)
        var known: [Int64: (accesses: Int64, writes: Int64, faults: Int64, first: Int64, last: Int64)] = [:]
        var runStart = 0
        while runStart < activities.count {
            var runEnd = runStart + 1
            while runEnd < activities.count,
                activities[runEnd].page - activities[runEnd - 1].page < TranslationSet.Transaction.activityLookupGap
            {
                runEnd += 1
            }
            read.bind(set.id, Int64(activities[runStart].page), Int64(activities[runEnd - 1].page) + 1)
            while try read.step() {
                known[read.int64(0)] = (read.int64(1), read.int64(2), read.int64(3), read.int64(4), read.int64(5))
            }
            read.reset()
            runStart = runEnd
        }
        let upsert = try statement(Self.activityUpsert)
        for (pageNumber, activity) in activities {
            let page = Int64(pageNumber)
            var counts = (accesses: Int64(0), writes: Int64(0), faults: Int64(0), first: generation)
            if let old = known[page] {
                counts = (old.accesses, old.writes, old.faults, old.first)
                stateDeltas[set.id, default: 0] &-= Seal.activity(
                    setID: set.id, page: page, accesses: old.accesses, writes: old.writes, faults: old.faults, first: old.first,
                    last: old.last)
            }
            counts.accesses = counts.accesses &+ Int64(clamping: activity.accesses)
            counts.writes = counts.writes &+ Int64(clamping: activity.writes)
            counts.faults = counts.faults &+ Int64(clamping: activity.faults)
            stateDeltas[set.id, default: 0] &+= Seal.activity(
                setID: set.id, page: page, accesses: counts.accesses, writes: counts.writes, faults: counts.faults,
                first: counts.first, last: generation)
            upsert.bind(set.id, page, counts.accesses, counts.writes, counts.faults, counts.first, generation)
            try upsert.execute()
        }
    }

    /// Writes a page's counters, its first generation kept when the row exists.
    private static let activityUpsert = """
        INSERT INTO pageActivity (setId, vpn, accesses, writes, faults, firstGeneration, lastGeneration)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
        ON CONFLICT (setId, vpn) DO UPDATE SET accesses = excluded.accesses, writes = excluded.writes,
            faults = excluded.faults, lastGeneration = excluded.lastGeneration
        """
}
