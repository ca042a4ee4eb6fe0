import CSQLiteSupport
import Foundation
import GRDB
import MMUCore

/// A persistent store of translation sets in one SQLite file.
///
/// Every mmu transaction is one SQLite write transaction (`BEGIN IMMEDIATE`) on a WAL
/// database with `synchronous=FULL`: all of its changes commit together or none do, and a
/// crash or power cut loses no acknowledged transaction. See `migrations/` and the README for
/// the schema, which is a public interface.
///
/// The store is a `Sendable` value holding a GRDB connection pool (one writer, concurrent
/// readers); copies share the pool.
public struct TranslationStore: Sendable {
    let writer: any DatabaseWriter
    /// The absolute path of the database file, or `nil` for an in-memory store.
    public let path: String?
    /// The private copy of an untrusted file, kept while the store lives.
    let scratch: PrivateCopy?
    /// How a store opened for reading reaches its file (and the lock it holds), or `nil` for
    /// a writable store.
    let access: ReadingAccess?
    /// The write-ahead log size past which a commit checkpoints and truncates it; tests lower it
    /// to make every commit checkpoint.
    package var writeAheadLogLimit = TranslationStore.walLimit
    /// Called with the failure of a checkpoint that a commit ran after itself (see
    /// ``boundWriteAheadLog()``), on the thread that committed; `nil` ignores such failures.
    ///
    /// The transaction that ran the checkpoint is committed and durable in the write-ahead log
    /// when this is called, so the commit itself returns normally: the failure (an I/O error of
    /// the main file or of the log, a full disk) is news about the disk, not about the
    /// transaction. A checkpoint kept from finishing by readers or by another process's lock is
    /// not a failure: it is tried again after a later commit.
    public var checkpointFailureHandler: (@Sendable (StoreError) -> Void)?
    /// The open group of ``groupingCommits(every:onDurable:_:)`` that writes join, if any.
    var commitGroup: CommitGroup?
    /// The sets ``keepingSetsWarm()`` holds in memory between transactions, if any.
    var warmSets: WarmSets?

    /// The SQLite application id of MMUStore files ('MMUS').
    public static let applicationID: Int32 = 0x4D4D_5553
    /// The id of the global set, which every set's view includes.
    static let globalSetID: Int64 = 1
    /// The name of the global set.
    public static let globalSetName = "global"
    /// How long a writer waits for another process's lock before failing with ``StoreError/Code/busy``.
    public static let busyTimeout: TimeInterval = 5

    /// Opens the store at `path`, creating it when `creatingIfMissing` is set and no file is there.
    ///
    /// The file is checked before anything is written to it: a file that is not an MMUStore
    /// database, or that a newer MMUStore wrote, is refused and left untouched. A `file:`
    /// prefix is not read as an SQLite URI: the path is made absolute first.
    ///
    /// - Throws: ``StoreError`` with code `notFound`, `notAStore`, `newerSchema` or `io`.
    public init(path: String, creatingIfMissing: Bool = false) throws(StoreError) {
        try self.init(absolutePath: Self.absolutePath(path), creatingIfMissing: creatingIfMissing, vfs: nil, durability: .walFull)
    }

    /// Opens the store at the absolute path `absolute` through the SQLite VFS named `vfs` (the
    /// default one when `nil`), with the writer committing as `durability` says.
    ///
    /// The durability settings are applied before the migrations run and checked after them.
    init(absolutePath absolute: String, creatingIfMissing: Bool, vfs: String?, durability: Durability) throws(StoreError) {
        let exists = FileManager.default.fileExists(atPath: absolute)
        if !exists && !creatingIfMissing {
            throw StoreError(.notFound, "no MMUStore database at \(absolute) (create one with `mmu init`)")
        }
        if exists { try Self.preflight(absolute, allowEmpty: creatingIfMissing) }
        let location = try Self.location(of: absolute, vfs: vfs)
        do {
            let writer: any DatabaseWriter = switch durability {
            case .walFull, .walNormal: try DatabasePool(path: location, configuration: Self.configuration())
            case .deleteExtra: try DatabaseQueue(path: location, configuration: Self.configuration())
            }
            try writer.writeWithoutTransaction { db in try durability.apply(to: db) }
            try Self.migrate(writer)
            try Self.sealGlobalSet(writer)
            try writer.writeWithoutTransaction { db in try durability.verify(in: db) }
            self.writer = writer
            self.path = absolute
            self.scratch = nil
            self.access = nil
        } catch {
            throw Self.explainingBusy(StoreError.wrapping(error), path: absolute)
        }
    }

    /// Creates a store in memory, for tests and scratch work.
    ///
    /// - Throws: ``StoreError`` when the schema cannot be created.
    public static func inMemory() throws(StoreError) -> TranslationStore {
        do {
            let queue = try DatabaseQueue(configuration: configuration())
            try migrate(queue)
            try sealGlobalSet(queue)
            return TranslationStore(writer: queue, path: nil)
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    init(writer: any DatabaseWriter, path: String?, scratch: PrivateCopy? = nil, access: ReadingAccess? = nil) {
        self.writer = writer
        self.path = path
        self.scratch = scratch
        self.access = access
    }

    /// Seals the global set's row the first time a store is opened (the migration that creates
    /// it cannot compute the seal).
    static func sealGlobalSet(_ writer: any DatabaseWriter) throws {
        try writer.write { db in
            if try Int64.fetchOne(db, sql: "SELECT seal FROM translationSet WHERE id = ?", arguments: [globalSetID]) == 0 {
                try resealSet(named: globalSetName, in: db)
            }
        }
    }

    /// The connection settings of every writable store: a busy timeout, defensive mode,
    /// untrusted schema, no extension loading, foreign keys on.
    static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .callback(Self.waitForLock)
        configuration.prepareDatabase { db in
            let code = mmu_sqlite_harden(UnsafeMutableRawPointer(db.sqliteConnection), 0)
            guard code == SQLITE_OK_CODE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "could not harden the connection")
            }
        }
        return configuration
    }

    /// The busy handler: waits for another connection's lock in short, jittered naps for up to
    /// ``busyTimeout`` seconds, then gives up (the operation fails with `busy`).
    ///
    /// SQLite's own timeout backs off to 100 ms naps, so a writer waiting behind a busy one
    /// keeps missing the moments the lock is free and can starve past the timeout; polling
    /// about every millisecond gives every waiter a fair chance.
    @Sendable static func waitForLock(_ tries: Int) -> Bool {
        waitForLock(tries, patience: lockPatience) { microseconds in usleep(microseconds) }
    }

    /// The busy handler's logic with the nap injected: `nap` is called with the microseconds
    /// to sleep, a random 500 to 1,500, while the `tries` so far times ``lockNap`` stay under
    /// ``busyTimeout``; then it returns `false` (give up) without napping.
    package static func waitForLock(_ tries: Int, nap: (UInt32) -> Void) -> Bool {
        waitForLock(tries, patience: busyTimeout, nap: nap)
    }

    /// ``waitForLock(_:nap:)`` giving up after `patience` seconds instead of ``busyTimeout``.
    package static func waitForLock(_ tries: Int, patience: TimeInterval, nap: (UInt32) -> Void) -> Bool {
        guard Double(tries) * lockNap < patience else { return false }
        nap(UInt32.random(in: 500...1500))
        return true
    }

    /// How long the busy handler waits for a lock in the operation this thread runs:
    /// ``busyTimeout``, or ``checkpointPatience`` in the checkpoint a commit runs after itself.
    @TaskLocal static var lockPatience: TimeInterval = busyTimeout

    /// How long the checkpoint a commit runs after itself waits for readers (or another
    /// process's lock) before it gives up until a later commit: the commit is durable already,
    /// so it returns soon instead of after the busy timeout, and a short gap between readers is
    /// still found.
    package static let checkpointPatience: TimeInterval = 0.2

    /// The average nap of ``waitForLock(_:)`` in seconds, with the scheduler's overhead.
    package static let lockNap = 0.00105

    /// The write-ahead log size past which a commit checkpoints and truncates it, so that
    /// readers that are never all idle at once cannot make it grow without bound.
    static let walLimit: UInt64 = 32 << 20

    /// Checkpoints and truncates the write-ahead log once it passes ``writeAheadLogLimit``
    /// (``walLimit`` unless a test lowered it). A checkpoint that readers or another process's
    /// lock keep from finishing for ``checkpointPatience`` is simply tried again after a later
    /// commit; any other failure goes to ``checkpointFailureHandler``, never to the caller of the
    /// commit, which is durable.
    func boundWriteAheadLog() {
        guard let path, scratch == nil, writer is DatabasePool else { return }
        var status = stat()
        guard stat(path + "-wal", &status) == 0 else {
            let code = errno
            if code != ENOENT {
                let reason = String(cString: strerror(code))
                checkpointFailureHandler?(StoreError(.io, "the transaction was committed, but the size of the write-ahead log \(path)-wal could not be read: \(reason)"))
            }
            return
        }
        guard UInt64(status.st_size) > writeAheadLogLimit else { return }
        do {
            try writer.writeWithoutTransaction { db in
                // The busy handler runs on this thread, inside the checkpoint's statement.
                try Self.$lockPatience.withValue(Self.checkpointPatience) {
                    _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                }
            }
        } catch {
            let failure = StoreError.wrapping(error)
            guard failure.code != .busy else { return }
            checkpointFailureHandler?(
                StoreError(
                    failure.code,
                    "the transaction was committed, but the checkpoint of the write-ahead log \(path)-wal into \(path) failed (\(failure.message)); the log keeps every committed transaction and grows until a checkpoint succeeds",
                    cause: failure))
        }
    }

    /// `path` made absolute, so that SQLite never reads a `file:` prefix as a URI.
    public static func absolutePath(_ path: String) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL.path
    }

    /// Runs `body` in one read transaction, wrapping errors.
    ///
    /// Every statement of `body` sees the same snapshot, however many transactions other
    /// connections or processes commit meanwhile, so a reader never sees half of one. Called
    /// inside a write, it reads within that write's transaction. On a store opened for reading
    /// through its main file alone, the result is returned only if no writer appeared meanwhile.
    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        let result: T
        do {
            result = try writer.unsafeReentrantRead { db in
                if db.isInsideTransaction { return try body(db) }
                var result: T?
                try db.inTransaction(.deferred) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw StoreError(.io, "read transaction produced no result") }
                return result
            }
        } catch {
            throw StoreError.wrapping(error)
        }
        try access?.confirm()
        return result
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` write transaction, wrapping errors.
    ///
    /// - Throws: ``StoreError`` `readOnly` on a store opened for reading.
    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        if let access {
            throw StoreError(.readOnly, "\(access.path) was opened for reading only; this change needs it opened for writing")
        }
        if let commitGroup {
            do {
                return try commitGroup.write(body)
            } catch {
                throw Self.explainingBusy(StoreError.wrapping(error), path: path)
            }
        }
        let committed: T
        do {
            committed = try writer.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw StoreError(.io, "transaction produced no result") }
                return result
            }
        } catch {
            throw Self.explainingBusy(StoreError.wrapping(error), path: path)
        }
        boundWriteAheadLog()
        return committed
    }
}

/// SQLITE_OK as the C target returns it.
let SQLITE_OK_CODE: Int32 = 0

extension TranslationStore {
    /// Copies the write-ahead log into the main file and truncates the log, so the main file
    /// alone holds every committed transaction (before handing the file to someone else).
    ///
    /// - Throws: ``StoreError`` `busy` when readers keep the log from being truncated.
    public func checkpoint() throws(StoreError) {
        do {
            try writer.writeWithoutTransaction { db in
                let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                if let busy = try row?.decode(Int.self, atIndex: 0), busy != 0 {
                    throw StoreError(.busy, "the checkpoint could not finish: a reader holds the write-ahead log")
                }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }
}
