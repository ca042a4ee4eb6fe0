import GRDB
import MMUCore

/// The SQLite side of one mmu transaction: the ``TranslationBackend`` the shared engine runs
/// against inside `BEGIN IMMEDIATE … COMMIT`.
///
/// Private entries of the set are written at generation ``generation``; global entries go to
/// set 1 at the next global generation, allocated on first use. Removing a row born in this
/// transaction deletes it; removing an older row sets its `died`.
///
/// One file per job: this one holds the transaction's state, its statements and savepoints;
/// `+Entries` the entry rows, `+Areas` the memory areas, `+Activity` the access bits and page
/// counters, `+Summaries` the live summaries and digests, `+Log` the commit's log row.
final class StoreBackend: TranslationBackend {
    let db: Database
    let set: StoredSet
    let generation: Int64
    let globalHead: Int64
    let architecture: Architecture?
    var globalGeneration: Int64?
    var summaryDeltas: [SummaryKey: Int64] = [:]
    var digestDeltas: [Int64: UInt64] = [:]
    var rowDeltas: [Int64: Int64] = [:]
    var stateDeltas: [Int64: UInt64] = [:]
    var pageShifts: [Int64: [UInt8]] = [:]
    private var statements: [String: CachedStatement] = [:]
    /// The set's live state held in memory across transactions (see ``WarmSet``), while current.
    var warm: WarmSet?
    /// Where ``warm`` came from, told when the transaction has to give it up.
    var warmSets: WarmSets?

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
    func prepared(_ sql: String) throws(StoreError) -> CachedStatement {
        if let known = statements[sql] { return known }
        let prepared = try CachedStatement(sql, on: db)
        statements[sql] = prepared
        return prepared
    }

    /// Resets every statement this transaction used, before it commits or rolls back: the
    /// statements outlive it in the connection's cache, and a half-stepped read would keep the
    /// connection's snapshot (and the write-ahead log) from moving on.
    func resetStatements() {
        for statement in statements.values { statement.reset() }
    }

    /// Gives up the set's copy in memory for good: a failed operation's rollback or a global
    /// entry made it something this transaction cannot keep current.
    func giveUpWarm() {
        guard warm != nil else { return }
        warm = nil
        warmSets?.giveUp(set.id)
    }

    /// The generation that changes to the global set are written at.
    func globalWriteGeneration() -> Int64 {
        if let globalGeneration { return globalGeneration }
        globalGeneration = globalHead + 1
        return globalHead + 1
    }

    /// The generation of the global set that this transaction's view includes.
    var visibleGlobalGeneration: Int64 { globalGeneration ?? globalHead }

    func owner(of entry: MMUEntry) -> (setID: Int64, generation: Int64) {
        entry.isGlobal ? (TranslationStore.globalSetID, globalWriteGeneration()) : (set.id, generation)
    }

    // MARK: Atomicity

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
            giveUpWarm()
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
        let statement = try prepared(sql)
        statement.reset()
        try statement.execute()
    }
}
