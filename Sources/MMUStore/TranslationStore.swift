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
    /// The private directory holding the copy of an untrusted file, kept while the store lives.
    let scratch: ScratchDirectory?

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
        let absolute = Self.absolutePath(path)
        let exists = FileManager.default.fileExists(atPath: absolute)
        if !exists && !creatingIfMissing {
            throw StoreError(.notFound, "no MMUStore database at \(absolute) (create one with `mmu init`)")
        }
        if exists { try Self.preflight(absolute, allowEmpty: creatingIfMissing) }
        do {
            let pool = try DatabasePool(path: absolute, configuration: Self.configuration())
            try Self.migrate(pool)
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                let synchronous = try Int.fetchOne(db, sql: "PRAGMA synchronous")
                let journal = try String.fetchOne(db, sql: "PRAGMA journal_mode")
                guard synchronous == 2, journal == "wal" else {
                    throw StoreError(.io, "durability settings did not stick: synchronous=\(synchronous ?? -1), journal_mode=\(journal ?? "?")")
                }
            }
            self.writer = pool
            self.path = absolute
            self.scratch = nil
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    /// Creates a store in memory, for tests and scratch work.
    ///
    /// - Throws: ``StoreError`` when the schema cannot be created.
    public static func inMemory() throws(StoreError) -> TranslationStore {
        do {
            let queue = try DatabaseQueue(configuration: configuration())
            try migrate(queue)
            return TranslationStore(writer: queue, path: nil)
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    init(writer: any DatabaseWriter, path: String?, scratch: ScratchDirectory? = nil) {
        self.writer = writer
        self.path = path
        self.scratch = scratch
    }

    /// The connection settings of every writable store: a busy timeout, defensive mode,
    /// untrusted schema, no extension loading, foreign keys on.
    static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            let code = mmu_sqlite_harden(UnsafeMutableRawPointer(db.sqliteConnection), 0)
            guard code == SQLITE_OK_CODE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "could not harden the connection")
            }
        }
        return configuration
    }

    /// `path` made absolute, so that SQLite never reads a `file:` prefix as a URI.
    public static func absolutePath(_ path: String) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL.path
    }

    /// Runs `body` in a read transaction, wrapping errors.
    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.unsafeReentrantRead(body)
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` write transaction, wrapping errors.
    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw StoreError(.io, "transaction produced no result") }
                return result
            }
        } catch {
            throw StoreError.wrapping(error)
        }
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
