import GRDB
import MMUCore

/// The SQLite side of one mmu transaction: the ``TranslationBackend`` the shared engine runs
/// against inside `BEGIN IMMEDIATE … COMMIT`.
///
/// Private entries of the set are written at generation ``generation``; global entries go to
/// set 1 at the next global generation, allocated on first use. Removing a row born in this
/// transaction deletes it; removing an older row sets its `died`.
final class StoreBackend: TranslationBackend {
    let db: Database
    let set: StoredSet
    let generation: Int64
    let globalHead: Int64
    let architecture: Architecture?
    private(set) var globalGeneration: Int64?
    private var summaryDeltas: [SummaryKey: Int64] = [:]
    private var digestDeltas: [Int64: UInt64] = [:]
    private var rowDeltas: [Int64: Int64] = [:]
    var stateDeltas: [Int64: UInt64] = [:]
    private var pageShifts: [Int64: [UInt8]] = [:]
    private var statements: [String: SQLiteStatement] = [:]

    struct SummaryKey: Hashable {
        let setID: Int64, shift: UInt8, protection: UInt8
    }

    init(db: Database, set: StoredSet, globalHead: Int64) {
        self.db = db
        self.set = set
        self.generation = set.info.headGeneration + 1
        self.globalHead = globalHead
        self.architecture = set.info.architecture
    }

    /// The connection's cached statement for `sql`, looked up once per transaction.
    func statement(_ sql: String) throws -> SQLiteStatement {
        if let known = statements[sql] { return known }
        let prepared = try SQLiteStatement(cachedOn: db, sql)
        statements[sql] = prepared
        return prepared
    }

    /// Resets every statement this transaction used, before it commits or rolls back: the
    /// statements outlive it in the connection's cache, and a half-stepped read would keep the
    /// connection's snapshot (and the write-ahead log) from moving on.
    func resetStatements() {
        for statement in statements.values { statement.reset() }
    }

    /// The generation that changes to the global set are written at.
    private func globalWriteGeneration() -> Int64 {
        if let globalGeneration { return globalGeneration }
        globalGeneration = globalHead + 1
        return globalHead + 1
    }

    /// The generation of the global set that this transaction's view includes.
    var visibleGlobalGeneration: Int64 { globalGeneration ?? globalHead }

    private func owner(of entry: MMUEntry) -> (setID: Int64, generation: Int64) {
        entry.isGlobal ? (TranslationStore.globalSetID, globalWriteGeneration()) : (set.id, generation)
    }

    // MARK: Reading

    private static let live = """
        SELECT \(EntryRow.columns), coalesce(s.accessed, 0), coalesce(s.dirty, 0)
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
        let atPage = try statement(Self.liveAtPage)
        for shift in try pageShifts(ofSet: setID) {
            let start = range.lowerPage & ~((1 << UInt64(shift - 12)) - 1)
            guard single || start < range.lowerPage else { continue }
            atPage.bind(setID, Int64(start))
            guard try atPage.step() else { continue }
            let entry = try EntryRow.decode(atPage, setName: name, global: global, accessState: true)
            if entry.range.upperPage > range.lowerPage {
                result.append(entry)
                break
            }
        }
        if single { return result }
        let inside = try statement(Self.liveInPages)
        inside.bind(setID, Int64(range.lowerPage), Int64(range.upperPage))
        while try inside.step() {
            result.append(try EntryRow.decode(inside, setName: name, global: global, accessState: true))
        }
        return result
    }

    /// The page shifts (ascending) that live entries of a set may have: those of its summary
    /// when first asked, plus every size written since (a superset, which is all lookups need).
    private func pageShifts(ofSet setID: Int64) throws -> [UInt8] {
        if let known = pageShifts[setID] { return known }
        let query = try statement("SELECT pageShift FROM liveSummary WHERE setId = ?1 AND entries > 0")
        query.bind(setID)
        var shifts = Set(summaryDeltas.keys.filter { $0.setID == setID }.map(\.shift))
        while try query.step() {
            let shift = query.int64(0)
            guard let size = PageSize(shift: Int(shift)) else {
                throw StoreError(.invalidData, "liveSummary of set id \(setID) names page shift \(shift), not one from 12 to 32")
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

    func firstEntry(startingIn range: VirtualRange) throws -> MMUEntry? {
        let first = try statement(Self.firstInPages)
        var found: MMUEntry?
        for (setID, name) in [(set.id, set.info.name), (TranslationStore.globalSetID, TranslationStore.globalSetName)] {
            first.bind(setID, Int64(range.lowerPage), Int64(range.upperPage))
            if try first.step() {
                let entry = try EntryRow.decode(first, setName: name, global: setID == TranslationStore.globalSetID, accessState: true)
                if found.map({ entry.pageNumber < $0.pageNumber }) ?? true { found = entry }
            }
            first.reset()
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
        let query = try statement("""
            SELECT t.name FROM translationSet t
            WHERE t.id NOT IN (1, ?1) AND (
                EXISTS (SELECT 1 FROM mmuEntry e WHERE e.setId = t.id AND e.vpn >= ?2 AND e.vpn < ?3 AND e.died IS NULL)
                OR (SELECT e.vpn + (1 << (e.pageShift - 12)) FROM mmuEntry e
                    WHERE e.setId = t.id AND e.vpn < ?2 AND e.died IS NULL ORDER BY e.vpn DESC LIMIT 1) > ?2)
            ORDER BY t.name LIMIT 1
            """)
        query.bind(set.id, Int64(range.lowerPage), Int64(range.upperPage))
        return try query.step() ? query.text(0) : nil
    }

    // MARK: Writing

    func insert(_ entries: [MMUEntry]) throws {
        let insert = try statement(
            "INSERT INTO mmuEntry (setId, vpn, born, pfn, pageShift, protection, cacheMode) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        var key: SummaryKey?
        var run: Int64 = 0
        for entry in entries {
            let (setID, born) = owner(of: entry)
            insert.reset()
            insert.bind(setID, at: 1)
            insert.bind(Int64(entry.pageNumber), at: 2)
            insert.bind(born, at: 3)
            insert.bind(Int64(entry.frameNumber), at: 4)
            insert.bind(Int64(entry.size.shift), at: 5)
            insert.bind(Int64(entry.protection.rawValue), at: 6)
            insert.bind(Int64(entry.cacheMode.storedValue), at: 7)
            try insert.execute()
            digestDeltas[setID, default: 0] &+= entry.contentHash
            rowDeltas[setID, default: 0] += 1
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
        let deleteNew = try statement("DELETE FROM mmuEntry WHERE setId = ?1 AND vpn = ?2 AND born = ?3")
        let markDead = try statement("UPDATE mmuEntry SET died = ?3 WHERE setId = ?1 AND vpn = ?2 AND died IS NULL")
        let deleteState = try statement("DELETE FROM entryState WHERE setId = ?1 AND vpn = ?2")
        for entry in entries {
            let (setID, generation) = owner(of: entry)
            deleteNew.bind(setID, Int64(entry.pageNumber), generation)
            if try deleteNew.execute() == 0 {
                markDead.bind(setID, Int64(entry.pageNumber), generation)
                guard try markDead.execute() == 1 else {
                    throw StoreError(.invalidData, "set '\(set.info.name)': no live entry at \(entry.virtualAddress) to remove")
                }
            } else {
                rowDeltas[setID, default: 0] -= 1
            }
            deleteState.bind(setID, Int64(entry.pageNumber))
            try deleteState.execute()
            if !entry.attributes.isDisjoint(with: .accessState) {
                stateDeltas[setID, default: 0] &-= Self.stateHash(setID, Int64(entry.pageNumber), entry.attributes)
            }
            digestDeltas[setID, default: 0] &-= entry.contentHash
            summaryDeltas[SummaryKey(setID: setID, shift: entry.size.shift, protection: entry.protection.rawValue), default: 0] -= 1
        }
    }

    // MARK: Areas

    func areas(overlapping range: VirtualRange) throws -> [MemoryArea] {
        let query = try statement("""
            SELECT vpn, pageCount, protection, kind, isShared, name FROM memoryArea
            WHERE setId = ?1 AND vpn < ?3 AND vpn + pageCount > ?2 AND died IS NULL ORDER BY vpn
            """)
        query.bind(set.id, Int64(range.lowerPage), Int64(range.upperPage))
        var result: [MemoryArea] = []
        while try query.step() { result.append(try EntryRow.decodeArea(query, setName: set.info.name)) }
        return result
    }

    func insertAreas(_ areas: [MemoryArea]) throws {
        let insert = try statement("""
            INSERT INTO memoryArea (setId, vpn, born, pageCount, protection, kind, isShared, name)
            VALUES (?1, ?2, ?3, ?4, ?5, ?7, ?6, ?8)
            """)
        for area in areas {
            insert.bind(
                set.id, Int64(area.range.lowerPage), generation, Int64(area.range.pageCount),
                Int64(area.protection.rawValue), area.isShared ? 1 : 0)
            insert.bind(text: area.kind.rawValue, at: 7)
            insert.bind(text: area.name, at: 8)
            try insert.execute()
            digestDeltas[set.id, default: 0] &+= area.contentHash
        }
    }

    func removeAreas(_ areas: [MemoryArea]) throws {
        let deleteNew = try statement("DELETE FROM memoryArea WHERE setId = ?1 AND vpn = ?2 AND born = ?3")
        let markDead = try statement("UPDATE memoryArea SET died = ?3 WHERE setId = ?1 AND vpn = ?2 AND died IS NULL")
        for area in areas {
            deleteNew.bind(set.id, Int64(area.range.lowerPage), generation)
            if try deleteNew.execute() == 0 {
                markDead.bind(set.id, Int64(area.range.lowerPage), generation)
                try markDead.execute()
            }
            digestDeltas[set.id, default: 0] &-= area.contentHash
        }
    }

    // MARK: Atomicity and commit

    /// Runs `body` inside a savepoint, as GRDB's `inSavepoint` does but through the
    /// connection's cached statements (operations are many and small: a simulation records
    /// thousands of page accesses per transaction, each its own operation).
    func atomically<Result>(_ body: () throws -> Result) throws -> Result {
        let savedDeltas = summaryDeltas, savedDigests = digestDeltas, savedRows = rowDeltas, savedStates = stateDeltas
        let savedGlobal = globalGeneration
        try run("SAVEPOINT operation")
        do {
            let result = try body()
            guard db.isInsideTransaction else {
                throw DatabaseError(resultCode: .SQLITE_ABORT, message: "Transaction was aborted")
            }
            try run("RELEASE operation")
            return result
        } catch {
            summaryDeltas = savedDeltas
            digestDeltas = savedDigests
            rowDeltas = savedRows
            stateDeltas = savedStates
            globalGeneration = savedGlobal
            // After some I/O errors SQLite has already rolled the whole transaction back and
            // the savepoint is gone; the first error is the one the caller needs. While the
            // transaction lives, though, a savepoint that cannot be rolled back leaves half of the
            // operation in it: that is reported as a store error, which poisons the transaction
            // (even when the first error was a refused operation, which would not).
            guard db.isInsideTransaction else { throw error }
            do {
                try run("ROLLBACK TO operation")
                try run("RELEASE operation")
            } catch let undo {
                throw StoreError(
                    .io, "a failed operation could not be undone (ROLLBACK TO: \(undo)) after: \(error); the transaction is abandoned",
                    cause: undo as? DatabaseError)
            }
            throw error
        }
    }

    /// Runs a cached statement without arguments.
    private func run(_ sql: String) throws {
        let prepared = try statement(sql)
        prepared.reset()
        try prepared.execute()
    }

    /// Writes the summary counters, the new heads and the log row; returns the sequence number.
    func finish(label: String?, counts: OperationCounts) throws -> Int64 {
        let update = try statement(
            "UPDATE liveSummary SET entries = entries + ?4 WHERE setId = ?1 AND pageShift = ?2 AND protection = ?3")
        let insert = try statement(
            "INSERT INTO liveSummary (setId, pageShift, protection, entries) VALUES (?1, ?2, ?3, ?4)")
        for (key, delta) in summaryDeltas where delta != 0 {
            update.bind(key.setID, Int64(key.shift), Int64(key.protection), delta)
            if try update.execute() == 0 {
                insert.bind(key.setID, Int64(key.shift), Int64(key.protection), delta)
                try insert.execute()
            }
        }
        try db.execute(sql: "DELETE FROM liveSummary WHERE entries = 0")
        for (setID, delta) in rowDeltas where delta != 0 {
            try db.execute(sql: "UPDATE translationSet SET storedRows = storedRows + ? WHERE id = ?", arguments: [delta, setID])
        }
        for (setID, delta) in stateDeltas where delta != 0 {
            let current = UInt64(bitPattern: try Int64.fetchOne(db, sql: "SELECT stateDigest FROM translationSet WHERE id = ?", arguments: [setID]) ?? 0)
            try db.execute(
                sql: "UPDATE translationSet SET stateDigest = ? WHERE id = ?", arguments: [Int64(bitPattern: current &+ delta), setID])
        }
        let digest = set.info.headDigest &+ (digestDeltas[set.id] ?? 0)
        try db.execute(
            sql: "UPDATE translationSet SET headGeneration = ?, headDigest = ? WHERE id = ?",
            arguments: [generation, Int64(bitPattern: digest), set.id])
        var globalDigest = UInt64(bitPattern: try Int64.fetchOne(
            db, sql: "SELECT headDigest FROM translationSet WHERE id = ?", arguments: [TranslationStore.globalSetID]) ?? 0)
        if let globalGeneration {
            globalDigest &+= digestDeltas[TranslationStore.globalSetID] ?? 0
            try db.execute(
                sql: "UPDATE translationSet SET headGeneration = ?, headDigest = ? WHERE id = ?",
                arguments: [globalGeneration, Int64(bitPattern: globalDigest), TranslationStore.globalSetID])
        }
        return try TransactionLogRecord.append(
            db, setID: set.id, generation: generation, globalGeneration: visibleGlobalGeneration, label: label,
            counts: counts, digest: digest, globalDigest: globalDigest)
    }
}
