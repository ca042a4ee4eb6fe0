import GRDB
import GRDBSQLite

/// One of the connection's cached statements as the activity path of ``StoreBackend`` steps
/// it, until that path reads and writes through ``CachedStatement`` as the rest of the store does.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    let sql: String
    /// GRDB's statement, which owns the handle and finalizes it with the connection.
    private let cached: Statement

    /// The connection's cached statement for `sql` (`Database.cachedStatement`). Callers reset
    /// it when done, so that no half-stepped read outlives their transaction.
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

    /// Resets the statement and binds integers to the parameters, in order from 1.
    func bind(_ values: Int64...) {
        sqlite3_reset(handle)
        for (index, value) in values.enumerated() {
            sqlite3_bind_int64(handle, Int32(index + 1), value)
        }
    }

    /// Resets the statement so it can be bound and run again (the allocation-free path).
    func reset() { sqlite3_reset(handle) }

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

    /// Runs a statement that returns no rows; returns the number of rows it changed.
    @discardableResult
    func execute() throws -> Int {
        while try step() {}
        return Int(sqlite3_changes(connection))
    }

    /// The integer in column `index` (from 0) of the current row.
    func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }
}
