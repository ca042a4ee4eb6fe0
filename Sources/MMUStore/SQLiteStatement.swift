import GRDB
import GRDBSQLite

/// A prepared statement stepped through the SQLite C API: the hot loops of the store (bulk
/// insert, reading a whole set) without per-row allocation.
///
/// Lives no longer than the ``Database`` access that created it; finalized on deinit, unless it
/// wraps one of the connection's cached statements (``init(cachedOn:_:)``), which GRDB keeps.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    let sql: String
    /// GRDB's statement when the handle is one of the connection's cached statements (GRDB
    /// keeps and finalizes it); `nil` when this object prepared the handle and finalizes it.
    private let cached: Statement?

    /// Prepares `sql` on `db`.
    init(_ db: Database, _ sql: String) throws {
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "connection is closed", sql: sql)
        }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        self.handle = statement
        self.connection = connection
        self.sql = sql
        self.cached = nil
    }

    /// The connection's cached statement for `sql` (`Database.cachedStatement`), prepared once
    /// for the connection's life rather than once per transaction. Callers reset it when done,
    /// so that no half-stepped read outlives their transaction.
    init(cachedOn db: Database, _ sql: String) throws {
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "connection is closed", sql: sql)
        }
        let statement = try db.cachedStatement(sql: sql)
        self.handle = statement.sqliteStatement
        self.connection = connection
        self.sql = sql
        self.cached = statement
    }

    deinit {
        if cached == nil { sqlite3_finalize(handle) }
    }

    /// Resets the statement and binds integers to the parameters, in order from 1.
    func bind(_ values: Int64...) {
        sqlite3_reset(handle)
        for (index, value) in values.enumerated() {
            sqlite3_bind_int64(handle, Int32(index + 1), value)
        }
    }

    /// Resets the statement so it can be bound and run again (the allocation-free path).
    func reset() { sqlite3_reset(handle) }

    /// Binds an integer to parameter `index` (from 1); call after ``reset()``.
    func bind(_ value: Int64, at index: Int32) { sqlite3_bind_int64(handle, index, value) }

    /// Binds text (or NULL) to parameter `index` (from 1); call after ``bind(_:)``.
    func bind(text: String?, at index: Int32) {
        if let text {
            sqlite3_bind_text(handle, index, text, -1, SQLITE_TRANSIENT_SWIFT)
        } else {
            sqlite3_bind_null(handle, index)
        }
    }

    /// Steps to the next row: `true` for a row, `false` when done.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            let message = String(cString: sqlite3_errmsg(connection))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
        }
    }

    /// The virtual machine steps the statement has run (`SQLITE_STMTSTATUS_VM_STEP`): grows with
    /// the rows it visits, for tests that guard a query's cost.
    var virtualMachineSteps: Int { Int(sqlite3_stmt_status(handle, SQLITE_STMTSTATUS_VM_STEP, 0)) }

    /// Runs a statement that returns no rows; returns the number of rows it changed.
    @discardableResult
    func execute() throws -> Int {
        while try step() {}
        return Int(sqlite3_changes(connection))
    }

    /// The integer in column `index` (from 0) of the current row.
    func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    /// Whether column `index` of the current row is NULL.
    func isNull(_ index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }

    /// The text in column `index` of the current row ("" for NULL).
    func text(_ index: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, index) else { return "" }
        return String(cString: pointer)
    }
}

/// SQLite's "copy the text now" destructor, which the C macro SQLITE_TRANSIENT spells as -1.
private let SQLITE_TRANSIENT_SWIFT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
