import Foundation
import GRDB
import MMUCore

extension TranslationStore {
    /// Checks an existing file before any writable connection touches it.
    ///
    /// Opening a foreign SQLite file with a writable pool would switch it to WAL mode; this
    /// reads the header and the schema through a read-only connection first.
    static func preflight(_ path: String, allowEmpty: Bool) throws(StoreError) {
        // Opened once, without blocking: a FIFO, socket, device or directory is refused here,
        // before SQLite would wait on it.
        let file: RegularFile
        do {
            file = try RegularFile(openingForReading: path, followingSymbolicLinks: true)
        } catch {
            guard case .system = error.reason else { throw StoreError(.notAStore, "\(error), so not an MMUStore database") }
            throw StoreError(.io, "\(error)")
        }
        if file.size == 0 {
            if allowEmpty { return }
            throw StoreError(.notAStore, "\(path) is an empty file, not an MMUStore database")
        }
        let header: Data
        do {
            header = Data(try file.read(16, at: 0))
        } catch {
            throw StoreError(.io, "\(error)")
        }
        guard header == Data("SQLite format 3\0".utf8) else {
            throw StoreError(.notAStore, "\(path) is not an SQLite database, so not an MMUStore database")
        }
        do {
            // Another process may be recovering the WAL of a writer that died: wait for it as
            // the store's own connections do, instead of failing at once.
            var writable = Configuration()
            writable.busyMode = .timeout(busyTimeout)
            var configuration = writable
            configuration.readonly = true
            do {
                try DatabaseQueue(path: path, configuration: configuration).read { db in try inspect(db, path, allowEmpty: allowEmpty) }
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_READONLY_ROLLBACK {
                // A hot rollback journal (a rollback-journal store whose writer died mid-commit):
                // a read-only connection cannot roll it back, a plain read-write one does so on
                // its first read, as any SQLite client would, and changes nothing else.
                try DatabaseQueue(path: path, configuration: writable).read { db in try inspect(db, path, allowEmpty: allowEmpty) }
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            throw StoreError(.notAStore, "\(path) is not a readable SQLite database: \(error.message ?? "")", cause: error)
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    /// Refuses, through `db`, a file that is not an MMUStore database, that a newer MMUStore
    /// wrote, or whose schema differs from the one its recorded migrations make.
    private static func inspect(_ db: Database, _ path: String, allowEmpty: Bool) throws {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type = 'table'")
        if applicationID == 0 && tables.isEmpty && allowEmpty { return }
        guard applicationID == Self.applicationID else {
            throw StoreError(.notAStore, "\(path) is an SQLite database of another application (application_id \(applicationID)), not an MMUStore database")
        }
        let applied = try Set(String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
        let unknown = applied.subtracting(try migrationIdentifiers()).sorted()
        if !unknown.isEmpty {
            throw StoreError(.newerSchema, "\(path) was written by a newer MMUStore (unknown migrations: \(unknown.joined(separator: ", "))); upgrade mmu to open it")
        }
        let problems = try schemaProblems(db)
        if !problems.isEmpty {
            throw StoreError(
                .alteredSchema, "\(path)'s schema is not MMUStore's: \(problems.joined(separator: "; ")). mmu does not write to it, "
                    + "since a trigger, view or index added by hand runs inside its transactions: remove what was added "
                    + "(for example sqlite3 \(path) 'DROP TRIGGER name') or restore a copy; reading commands still work")
        }
    }
}
