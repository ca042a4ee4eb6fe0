import Foundation
import GRDB

extension TranslationStore {
    /// Opens the store at `path` for reading only: nothing is ever written to the file or
    /// next to it, so this works on a file the user can only read (a read-only file, directory
    /// or mount, another user's file) and leaves no `-wal`, `-shm` or journal behind.
    ///
    /// The connection is opened with `SQLITE_OPEN_READONLY` and never migrates or configures
    /// the file: the schema must already be this program's (a file that needs migrating is
    /// refused, saying to run `mmu init` once). How a WAL file is read without its side files
    /// is described in ``ReadingAccess``. Readers never wait behind a writer: a write
    /// transaction in another process does not delay them. Changes through the result throw
    /// ``StoreError/Code/readOnly``.
    ///
    /// - Throws: ``StoreError`` with code `notFound`, `notAStore`, `newerSchema`,
    ///   `outdatedSchema`, `busy` or `io`.
    public init(readingAt path: String) throws(StoreError) {
        let absolute = Self.absolutePath(path)
        let access = try ReadingAccess(path: absolute, timeout: Self.busyTimeout)
        let location = try access.location()
        let reader: DatabaseQueue
        do {
            var configuration = Self.configuration()
            configuration.readonly = true
            reader = try DatabaseQueue(path: location, configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            throw StoreError(.notAStore, "\(absolute) is not a readable SQLite database: \(error.message ?? "")", cause: error)
        } catch {
            throw Self.readingFailure(absolute, error)
        }
        self.init(writer: reader, path: absolute, access: access)
        do {
            try read { db in try Self.confirmSchema(db, absolute) }
        } catch let error where error.code == .io {
            throw Self.readingFailure(absolute, error.cause ?? error)
        }
    }

    /// The error of a failed read-only open or first read of `path`.
    private static func readingFailure(_ path: String, _ error: any Error) -> StoreError {
        guard let error = error as? DatabaseError else { return StoreError.wrapping(error) }
        if error.extendedResultCode == .SQLITE_READONLY_ROLLBACK {
            return StoreError(
                .io, "a writer of \(path) stopped in the middle of a transaction and left \(path)-journal, which only a writer "
                    + "can roll back: run `mmu init -d \(path)` once as a user who can write there, then read again", cause: error)
        }
        if error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            return StoreError(.notAStore, "\(path) is not a readable SQLite database: \(error.message ?? "")", cause: error)
        }
        return StoreError.wrapping(error)
    }

    /// Refuses, through the read-only connection `db`, a file that is not an MMUStore
    /// database or whose schema is not exactly this program's migrations.
    private static func confirmSchema(_ db: Database, _ path: String) throws {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        guard applicationID == Self.applicationID else {
            throw StoreError(.notAStore, "\(path) is an SQLite database of another application (application_id \(applicationID)), not an MMUStore database")
        }
        guard try db.tableExists("grdb_migrations") else {
            throw StoreError(.notAStore, "\(path) has MMUStore's application id but no migration table: it is damaged or was never initialized")
        }
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        let known = try migrationIdentifiers()
        let unknown = Set(applied).subtracting(known).sorted()
        if !unknown.isEmpty {
            throw StoreError(.newerSchema, "\(path) was written by a newer MMUStore (unknown migrations: \(unknown.joined(separator: ", "))); upgrade mmu to open it")
        }
        let missing = known.filter { !applied.contains($0) }
        if !missing.isEmpty {
            throw StoreError(
                .outdatedSchema, "\(path) has an older MMUStore schema (missing migrations: \(missing.joined(separator: ", "))), and "
                    + "reading never migrates: run `mmu init -d \(path)` once as a user who can write it, then read again")
        }
    }
}
