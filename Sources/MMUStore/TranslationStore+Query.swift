import CSQLiteSupport
import Foundation
import GRDB
import GRDBSQLite

extension TranslationStore {
    /// Runs one user SQL statement strictly read-only and returns its rows.
    ///
    /// The statement runs on its own read-only connection, with ATTACH forbidden, extension
    /// loading off and an authorizer that allows only reading: SELECT (and WITH), reading
    /// pragmas such as `table_info`, and functions other than `load_extension`. Anything else
    /// (INSERT, UPDATE, DELETE, DROP, CREATE, ATTACH, VACUUM, pragma writes, transactions) is
    /// refused before it runs, with a message saying what was refused. The query is interrupted
    /// after `timeout` seconds. On a store opened with ``init(readingAt:)`` the connection
    /// reaches the file the same way, so it creates no side file either.
    ///
    /// Memory is bounded: one value may hold at most ``queryValueLimit`` bytes (SQLite's
    /// length limit on the connection), the whole result at most ``queryResultLimit``, and
    /// SQLite's heap at most ``queryHeapLimit`` while the query runs (a process-wide limit,
    /// `sqlite3_hard_heap_limit64`, lowered for the query and put back after it). Hitting one
    /// stops the query with an error naming the limit. A comment after the statement is fine;
    /// a second statement is refused.
    ///
    /// - Throws: ``StoreError`` `readOnly` for a refused statement, `io` for an SQL error or a
    ///   limit reached.
    public func query(_ sql: String, timeout: TimeInterval = 30) throws(StoreError) -> QueryResult {
        let reader: any DatabaseWriter
        do {
            if let path, scratch == nil {
                let location = try access?.location() ?? path
                var configuration = Self.configuration()
                configuration.readonly = true
                configuration.prepareDatabase { db in
                    let code = mmu_sqlite_harden(UnsafeMutableRawPointer(db.sqliteConnection), 0)
                    guard code == SQLITE_OK_CODE else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
                    mmu_sqlite_forbid_attach(UnsafeMutableRawPointer(db.sqliteConnection))
                }
                reader = try DatabaseQueue(path: location, configuration: configuration)
            } else {
                reader = writer
            }
        } catch {
            throw StoreError.wrapping(error)
        }
        let watchdog = DispatchWorkItem { reader.interrupt() }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
        let previousHeapLimit = sqlite3_hard_heap_limit64(-1)
        if previousHeapLimit == 0 || previousHeapLimit > Self.queryHeapLimit { sqlite3_hard_heap_limit64(Self.queryHeapLimit) }
        defer { sqlite3_hard_heap_limit64(previousHeapLimit) }
        let result: QueryResult
        do {
            result = try reader.unsafeReentrantRead { db in try Self.runReadOnly(sql, in: db) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT {
            throw StoreError(.io, "the query did not finish within \(Int(timeout)) s and was interrupted", cause: error)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_TOOBIG {
            throw StoreError(.io, "the query stopped: a value passed mmu sql's limit of \(Self.queryValueLimit >> 20) MiB per value", cause: error)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOMEM {
            throw StoreError(.io, "the query stopped: SQLite's memory passed mmu sql's limit of \(Self.queryHeapLimit >> 20) MiB", cause: error)
        } catch {
            throw StoreError.wrapping(error)
        }
        try access?.confirm()
        return result
    }

    /// The most bytes one value of a query may hold (SQLite's length limit on its connection).
    public static let queryValueLimit: Int32 = 16 << 20
    /// The most bytes a query's result may hold (values plus a little per row and cell).
    public static let queryResultLimit = 256 << 20
    /// The most bytes SQLite may allocate while a query runs.
    public static let queryHeapLimit: Int64 = 1 << 30

    /// Prepares `sql` under the read-only authorizer, then steps it.
    static func runReadOnly(_ sql: String, in db: Database) throws -> QueryResult {
        guard let connection = db.sqliteConnection else { throw StoreError(.io, "the connection is closed") }
        let previousLength = sqlite3_limit(connection, SQLITE_LIMIT_LENGTH, queryValueLimit)
        defer { sqlite3_limit(connection, SQLITE_LIMIT_LENGTH, previousLength) }
        let guardian = ReadOnlyAuthorizer()
        let context = Unmanaged.passRetained(guardian)
        defer { context.release() }
        sqlite3_set_authorizer(connection, { context, action, first, second, _, _ in
            guard let context else { return SQLITE_DENY }
            let authorizer = Unmanaged<ReadOnlyAuthorizer>.fromOpaque(context).takeUnretainedValue()
            return authorizer.decide(action, first.map { String(cString: $0) }, second.map { String(cString: $0) })
        }, context.toOpaque())
        let (code, statement, rest) = prepare(sql, connection)
        guard code == SQLITE_OK, let statement else {
            sqlite3_set_authorizer(connection, nil, nil)
            if let refusal = guardian.refusal { throw StoreError(.readOnly, "mmu sql is read-only: \(refusal) is not allowed") }
            let message = String(cString: sqlite3_errmsg(connection))
            throw StoreError(.io, "SQL error: \(message)" + doubleQuoteHint(message, sql))
        }
        defer { sqlite3_finalize(statement) }
        let more = holdsAnotherStatement(rest, connection)
        sqlite3_set_authorizer(connection, nil, nil)
        guard sqlite3_stmt_readonly(statement) != 0 else {
            throw StoreError(.readOnly, "mmu sql is read-only: this statement would write")
        }
        guard !more else {
            throw StoreError(.readOnly, "mmu sql runs one statement at a time; found more after the first")
        }
        let columnCount = sqlite3_column_count(statement)
        var result = QueryResult(columns: (0..<columnCount).map { String(cString: sqlite3_column_name(statement, $0)) }, rows: [])
        var size = 0
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: step), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
            }
            result.rows.append((0..<columnCount).map { column in
                switch sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, column))
                case SQLITE_FLOAT: .real(sqlite3_column_double(statement, column))
                case SQLITE_TEXT: .text(String(cString: sqlite3_column_text(statement, column)))
                case SQLITE_BLOB:
                    .blob(Data(bytes: sqlite3_column_blob(statement, column), count: Int(sqlite3_column_bytes(statement, column))))
                default: .null
                }
            })
            size += 64 + Int(columnCount) * 16 + (0..<columnCount).reduce(0) { $0 + Int(sqlite3_column_bytes(statement, $1)) }
            guard size <= queryResultLimit else {
                throw StoreError(
                    .io, "the query stopped: the result passed mmu sql's limit of \(queryResultLimit >> 20) MiB after "
                        + "\(result.rows.count) rows; add a LIMIT or select fewer or smaller columns")
            }
        }
        return result
    }

    /// Whether `rest` (what follows the first statement) holds another statement, not just
    /// whitespace, semicolons and comments. Preparing does not run anything; the read-only
    /// authorizer is still installed.
    private static func holdsAnotherStatement(_ rest: String, _ connection: OpaquePointer) -> Bool {
        var remaining = rest
        while !remaining.isEmpty {
            let (code, statement, next) = prepare(remaining, connection)
            if let statement {
                sqlite3_finalize(statement)
                return true
            }
            guard code == SQLITE_OK else { return true }
            guard next.utf8.count < remaining.utf8.count else { return false }
            remaining = next
        }
        return false
    }

    /// Prepares the first statement of `sql`; returns the result code, the statement (`nil`
    /// when `sql` starts with nothing but whitespace and comments) and the text after it.
    private static func prepare(_ sql: String, _ connection: OpaquePointer) -> (Int32, OpaquePointer?, String) {
        var statement: OpaquePointer?
        var rest = ""
        let code = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v2(connection, text, -1, &statement, &tail)
            rest = tail.map { String(cString: $0) } ?? ""
            return code
        }
        return (code, statement, rest)
    }

    /// A hint for "no such column: X" when the query writes `"X"`: double quotes name
    /// identifiers in SQL, so a string in them is read as a column.
    private static func doubleQuoteHint(_ message: String, _ sql: String) -> String {
        let prefix = "no such column: "
        guard message.hasPrefix(prefix) else { return "" }
        let name = String(message.dropFirst(prefix.count))
        guard sql.contains("\"\(name)\"") else { return "" }
        return " (double quotes name columns and tables; write '\(name)' in single quotes for a string)"
    }
}

/// The authorizer behind ``TranslationStore/query(_:timeout:)``: reading only.
final class ReadOnlyAuthorizer {
    /// What was refused first, for the error message.
    private(set) var refusal: String?

    /// Pragmas that only read, allowed with or without an argument.
    static let readingPragmas: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
        "database_list", "function_list", "pragma_list", "collation_list", "compile_options", "integrity_check",
        "quick_check", "foreign_key_check",
    ]
    /// Pragmas that only read when given no argument.
    static let readingPragmasWithoutArgument: Set<String> = [
        "user_version", "application_id", "schema_version", "page_count", "page_size", "freelist_count", "journal_mode",
        "encoding",
    ]
    /// The action names of refusals, by SQLite action code.
    static let actionNames: [Int32: String] = [
        SQLITE_INSERT: "INSERT", SQLITE_UPDATE: "UPDATE", SQLITE_DELETE: "DELETE", SQLITE_ATTACH: "ATTACH",
        SQLITE_DETACH: "DETACH", SQLITE_TRANSACTION: "a transaction statement", SQLITE_SAVEPOINT: "SAVEPOINT",
        SQLITE_ALTER_TABLE: "ALTER TABLE", SQLITE_REINDEX: "REINDEX", SQLITE_ANALYZE: "ANALYZE",
        SQLITE_CREATE_TABLE: "CREATE TABLE", SQLITE_CREATE_INDEX: "CREATE INDEX", SQLITE_CREATE_VIEW: "CREATE VIEW",
        SQLITE_CREATE_TRIGGER: "CREATE TRIGGER", SQLITE_DROP_TABLE: "DROP TABLE", SQLITE_DROP_INDEX: "DROP INDEX",
        SQLITE_DROP_VIEW: "DROP VIEW", SQLITE_DROP_TRIGGER: "DROP TRIGGER", SQLITE_CREATE_VTABLE: "CREATE VIRTUAL TABLE",
        SQLITE_DROP_VTABLE: "DROP VIRTUAL TABLE", SQLITE_CREATE_TEMP_TABLE: "CREATE TEMP TABLE",
        SQLITE_CREATE_TEMP_VIEW: "CREATE TEMP VIEW", SQLITE_CREATE_TEMP_TRIGGER: "CREATE TEMP TRIGGER",
        SQLITE_CREATE_TEMP_INDEX: "CREATE TEMP INDEX",
    ]

    func decide(_ action: Int32, _ first: String?, _ second: String?) -> Int32 {
        switch action {
        case SQLITE_SELECT, SQLITE_READ, SQLITE_RECURSIVE:
            return SQLITE_OK
        case SQLITE_UPDATE where first == "sqlite_master" || first == "sqlite_temp_master":
            // SQLite asks this while it declares a table-valued pragma (pragma_table_info(…));
            // nothing is written, and a statement that would write is refused below anyway.
            return SQLITE_OK
        case SQLITE_FUNCTION:
            if second?.lowercased() == "load_extension" { return deny("load_extension()") }
            return SQLITE_OK
        case SQLITE_PRAGMA:
            let name = first?.lowercased() ?? ""
            if Self.readingPragmas.contains(name) || (second == nil && Self.readingPragmasWithoutArgument.contains(name)) {
                return SQLITE_OK
            }
            return deny("PRAGMA \(name)\(second.map { " = \($0)" } ?? "")")
        default:
            return deny(Self.actionNames[action] ?? "this statement (action \(action))")
        }
    }

    private func deny(_ what: String) -> Int32 {
        if refusal == nil { refusal = what }
        return SQLITE_DENY
    }
}
