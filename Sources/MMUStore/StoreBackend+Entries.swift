import GRDB
import MMUCore

/// The entry rows: reading the live entries a transaction sees, inserting and removing rows
/// at the transaction's generation.
extension StoreBackend {
    private static let live = """
        SELECT \(EntryRow.selection), \(EntryRow.accessSelection)
        FROM mmuEntry e LEFT JOIN entryState s ON s.setId = e.setId AND s.vpn = e.vpn
        """
    /// The live entry starting at page ?2 of set ?1, if any.
    private static let liveAtPage = """
        \(live) WHERE e.setId = ?1 AND e.vpn = ?2 AND e.died IS NULL
        AND e.born = (SELECT max(born) FROM mmuEntry WHERE setId = ?1 AND vpn = ?2)
        """
    /// The live entries of set ?1 starting at pages ?2 to ?3 (excluded), in order.
    private static let liveInPages = "\(live) WHERE e.setId = ?1 AND e.vpn >= ?2 AND e.vpn < ?3 AND e.died IS NULL ORDER BY e.vpn"
    /// The first live entry of set ?1 starting at pages ?2 to ?3 (excluded).
    private static let firstInPages = "\(liveInPages) LIMIT 1"

    func liveEntries(ofSet setID: Int64, named name: String, overlapping range: VirtualRange) throws -> [MMUEntry] {
        let global = setID == TranslationStore.globalSetID
        var result: [MMUEntry] = []
        // An entry that covers the range's first page starts there or at that page aligned down
        // to its own size: one seek per page size the set holds (the newest row at a page is
        // the only one that can be live). Scanning back for the live entry instead would step
        // over every dead row in between, up to 511 under a 2 MiB page that replaced 4 KiB ones.
        let single = range.pageCount == 1
        let atPage = try prepared(Self.liveAtPage)
        for shift in try pageShifts(ofSet: setID) {
            let start = range.lowerPage & ~((1 << UInt64(shift - 12)) - 1)
            guard single || start < range.lowerPage else { continue }
            try atPage.bind(setID, Int64(start))
            guard let entry = try atPage.first(EntryRow.self)?.entry(inSet: name, global: global) else { continue }
            if entry.range.upperPage > range.lowerPage {
                result.append(entry)
                break
            }
        }
        if single { return result }
        let inside = try prepared(Self.liveInPages)
        try inside.bind(setID, Int64(range.lowerPage), Int64(range.upperPage))
        try inside.forEach(EntryRow.self) { result.append(try $0.entry(inSet: name, global: global)) }
        return result
    }

    /// The page shifts (ascending) that live entries of a set may have: those of its summary
    /// when first asked, plus every size written since (a superset, which is all lookups need).
    private func pageShifts(ofSet setID: Int64) throws -> [UInt8] {
        if let known = pageShifts[setID] { return known }
        let query = try prepared("SELECT setId, pageShift, protection, entries FROM liveSummary WHERE setId = ?1 AND entries > 0")
        try query.bind(setID)
        var shifts = Set(summaryDeltas.keys.filter { $0.setID == setID }.map(\.shift))
        try query.forEach(SummaryRow.self) { row in
            guard let size = PageSize(shift: Int(row.pageShift)) else {
                throw StoreError(.invalidData, "liveSummary of set id \(setID) names page shift \(row.pageShift), not one from 12 to 32")
            }
            shifts.insert(UInt8(size.shift))
        }
        let sorted = shifts.sorted()
        pageShifts[setID] = sorted
        return sorted
    }

    /// Notes that a set now holds entries of `shift`, for ``pageShifts(ofSet:)``.
    private func notePageShift(_ shift: UInt8, ofSet setID: Int64) {
        guard let known = pageShifts[setID], !known.contains(shift) else { return }
        pageShifts[setID] = (known + [shift]).sorted()
    }

    func entries(overlapping range: VirtualRange) throws -> [MMUEntry] {
        let own = try liveEntries(ofSet: set.id, named: set.info.name, overlapping: range)
        let global = try liveEntries(ofSet: TranslationStore.globalSetID, named: TranslationStore.globalSetName, overlapping: range)
        guard !global.isEmpty else { return own }
        return (own + global).sorted { $0.pageNumber < $1.pageNumber }
    }

    func entries(covering pages: [UInt64]) throws -> [MMUEntry?] {
        guard let warm else { return try entriesByRuns(covering: pages) }
        return pages.map(warm.entry(covering:))
    }

    func firstEntry(startingIn range: VirtualRange) throws -> MMUEntry? {
        let first = try prepared(Self.firstInPages)
        var found: MMUEntry?
        for (setID, name) in [(set.id, set.info.name), (TranslationStore.globalSetID, TranslationStore.globalSetName)] {
            try first.bind(setID, Int64(range.lowerPage), Int64(range.upperPage))
            if let entry = try first.first(EntryRow.self)?.entry(inSet: name, global: setID == TranslationStore.globalSetID),
                found.map({ entry.pageNumber < $0.pageNumber }) ?? true
            {
                found = entry
            }
        }
        return found
    }

    func entries(inSetNamed name: String, overlapping range: VirtualRange) throws -> [MMUEntry] {
        guard let other = try StoredSet.fetch(db, named: name), other.id != TranslationStore.globalSetID else {
            throw MappingError.unknownSet(name)
        }
        return try liveEntries(ofSet: other.id, named: name, overlapping: range)
    }

    func conflictingSet(forGlobal range: VirtualRange) throws -> String? {
        let query = try prepared("""
            SELECT t.name FROM translationSet t
            WHERE t.id NOT IN (1, ?1) AND (
                EXISTS (SELECT 1 FROM mmuEntry e WHERE e.setId = t.id AND e.vpn >= ?2 AND e.vpn < ?3 AND e.died IS NULL)
                OR (SELECT e.vpn + (1 << (e.pageShift - 12)) FROM mmuEntry e
                    WHERE e.setId = t.id AND e.vpn < ?2 AND e.died IS NULL ORDER BY e.vpn DESC LIMIT 1) > ?2)
            ORDER BY t.name LIMIT 1
            """)
        try query.bind(set.id, Int64(range.lowerPage), Int64(range.upperPage))
        return try query.first(ConflictingSet.self)?.name
    }

    // MARK: Writing

    func insert(_ entries: [MMUEntry]) throws {
        let insert = try prepared(
            "INSERT INTO mmuEntry (setId, vpn, born, pfn, pageShift, protection, cacheMode) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        var key: SummaryKey?
        var run: Int64 = 0
        for entry in entries {
            let (setID, born) = owner(of: entry)
            insert.reset()
            try insert.bind(setID, at: 1)
            try insert.bind(Int64(entry.pageNumber), at: 2)
            try insert.bind(born, at: 3)
            try insert.bind(Int64(entry.frameNumber), at: 4)
            try insert.bind(Int64(entry.size.shift), at: 5)
            try insert.bind(Int64(entry.protection.rawValue), at: 6)
            try insert.bind(Int64(entry.cacheMode.storedValue), at: 7)
            try insert.execute()
            digestDeltas[setID, default: 0] &+= entry.contentHash
            rowDeltas[setID, default: 0] += 1
            if entry.isGlobal { giveUpWarm() } else { warm?.insert(entry) }
            if !entry.attributes.isDisjoint(with: .accessState) {
                try writeAccessState(setID: setID, page: Int64(entry.pageNumber), from: [], to: entry.attributes)
            }
            let entryKey = SummaryKey(setID: setID, shift: entry.size.shift, protection: entry.protection.rawValue)
            if entryKey != key {
                if let key { summaryDeltas[key, default: 0] += run }
                notePageShift(entryKey.shift, ofSet: setID)
                key = entryKey
                run = 0
            }
            run += 1
        }
        if let key { summaryDeltas[key, default: 0] += run }
    }

    func remove(_ entries: [MMUEntry]) throws {
        let deleteNew = try prepared("DELETE FROM mmuEntry WHERE setId = ?1 AND vpn = ?2 AND born = ?3")
        let markDead = try prepared("UPDATE mmuEntry SET died = ?3 WHERE setId = ?1 AND vpn = ?2 AND died IS NULL")
        let deleteState = try prepared("DELETE FROM entryState WHERE setId = ?1 AND vpn = ?2")
        for entry in entries {
            let (setID, generation) = owner(of: entry)
            try deleteNew.bind(setID, Int64(entry.pageNumber), generation)
            if try deleteNew.execute() == 0 {
                try markDead.bind(setID, Int64(entry.pageNumber), generation)
                guard try markDead.execute() == 1 else {
                    throw StoreError(.invalidData, "set '\(set.info.name)': no live entry at \(entry.virtualAddress) to remove")
                }
            } else {
                rowDeltas[setID, default: 0] -= 1
            }
            try deleteState.bind(setID, Int64(entry.pageNumber))
            try deleteState.execute()
            if entry.isGlobal { giveUpWarm() } else { warm?.removeEntry(startingAt: entry.pageNumber) }
            if !entry.attributes.isDisjoint(with: .accessState) {
                stateDeltas[setID, default: 0] &-= Self.stateHash(setID, Int64(entry.pageNumber), entry.attributes)
            }
            digestDeltas[setID, default: 0] &-= entry.contentHash
            summaryDeltas[SummaryKey(setID: setID, shift: entry.size.shift, protection: entry.protection.rawValue), default: 0] -= 1
        }
    }
}

/// The name of the set a global entry would conflict with.
private struct ConflictingSet: StoredRow {
    var name: String

    static func columns(in statement: CachedStatement) throws(StoreError) -> Int32 { try statement.column("name") }

    init(_ statement: CachedStatement, _ column: Int32) { name = statement.text(column) }
}
