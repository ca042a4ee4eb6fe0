import GRDB
import GRDBSQLite

/// One of the connection's cached statements, bound and stepped through the SQLite C API: the
/// one way the store reads and writes rows.
///
/// The statement comes from the connection's cache (`Database.cachedStatement`), so it is
/// prepared once for the connection's life. Every bind and step is checked: a failure throws a
/// ``StoreError`` naming the SQL (and the parameter, for a bind). Rows are read as typed values
/// (``StoredRow``) whose columns are found by name, once per statement.
///
/// Lives no longer than the ``Database`` access that created it. Reading through ``forEach(_:_:)``
/// or ``first(_:)`` resets the statement when done, so that no half-stepped read keeps the
/// connection's snapshot (and the write-ahead log) from moving on; a caller stepping it with
/// ``step()`` resets it with ``reset()``.
final class CachedStatement {
    let sql: String
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    /// GRDB's statement, which owns the handle and finalizes it with the connection.
    private let statement: Statement
    /// The column layouts found so far, by row type.
    private var layouts: [ObjectIdentifier: Any] = [:]

    /// The connection's cached statement for `sql`, prepared on first use.
    ///
    /// - Throws: ``StoreError`` `io` naming `sql` when it cannot be prepared.
    init(_ sql: String, on db: Database) throws(StoreError) {
        guard let connection = db.sqliteConnection else {
            throw StoreError(.io, "cannot prepare `\(sql)`: the connection is closed")
        }
        do {
            statement = try db.cachedStatement(sql: sql)
        } catch {
            let cause = error as? DatabaseError
            throw StoreError(
                .io, "cannot prepare `\(sql)`: \(cause?.message ?? "\(error)")", cause: cause ?? UncheckedError(description: "\(error)"))
        }
        self.handle = statement.sqliteStatement
        self.connection = connection
        self.sql = sql
    }

    /// Resets the statement and binds integers to its parameters, in order from 1.
    ///
    /// - Throws: ``StoreError`` naming the SQL and the parameter SQLite refused.
    func bind(_ values: Int64...) throws(StoreError) {
        reset()
        for (index, value) in values.enumerated() {
            try bind(value, at: Int32(index + 1))
        }
    }

    /// Binds an integer to parameter `index` (from 1); call after ``reset()`` or ``bind(_:)``.
    ///
    /// - Throws: ``StoreError`` naming the SQL and the parameter when SQLite refuses it.
    func bind(_ value: Int64, at index: Int32) throws(StoreError) {
        try check(sqlite3_bind_int64(handle, index, value), parameter: index)
    }

    /// Binds text (or NULL) to parameter `index` (from 1); call after ``reset()`` or ``bind(_:)``.
    ///
    /// - Throws: ``StoreError`` naming the SQL and the parameter when SQLite refuses it.
    func bind(_ text: String?, at index: Int32) throws(StoreError) {
        guard let text else {
            try check(sqlite3_bind_null(handle, index), parameter: index)
            return
        }
        try check(sqlite3_bind_text(handle, index, text, -1, SQLITE_TRANSIENT_SWIFT), parameter: index)
    }

    private func check(_ code: Int32, parameter index: Int32) throws(StoreError) {
        guard code != SQLITE_OK else { return }
        throw failure(code, "cannot bind parameter \(index) of")
    }

    /// Resets the statement so it can be bound and run again (the bindings stay).
    func reset() { sqlite3_reset(handle) }

    /// Steps to the next row: `true` for a row, `false` when done.
    ///
    /// - Throws: ``StoreError`` (`busy` or `io`) naming the SQL; the statement is reset.
    func step() throws(StoreError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            let error = failure(code, "cannot run")
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Runs a statement that returns no rows; returns the number of rows it changed.
    ///
    /// - Throws: ``StoreError`` (`busy` or `io`) naming the SQL.
    @discardableResult
    func execute() throws(StoreError) -> Int {
        while try step() {}
        return Int(sqlite3_changes(connection))
    }

    /// The error of SQLite's result `code` on this statement: `busy` when the database is
    /// locked, `io` otherwise, with SQLite's message and the SQL.
    private func failure(_ code: Int32, _ doing: String) -> StoreError {
        let message = String(cString: sqlite3_errmsg(connection))
        let cause = DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
        let kind: StoreError.Code = cause.resultCode == .SQLITE_BUSY || cause.resultCode == .SQLITE_LOCKED ? .busy : .io
        return StoreError(kind, "database error: \(doing) `\(sql)`: \(message)", cause: cause)
    }

    // MARK: Rows

    /// Steps through the remaining rows, handing each to `body` as a `Row`; resets the
    /// statement when done, or when `body` throws.
    func forEach<Row: StoredRow>(_ type: Row.Type, _ body: (Row) throws -> Void) throws {
        defer { reset() }
        let columns = try layout(of: type)
        while try step() { try body(try Row(self, columns)) }
    }

    /// Every remaining row, as `Row` values; resets the statement.
    func all<Row: StoredRow>(_ type: Row.Type) throws -> [Row] {
        var result: [Row] = []
        try forEach(type) { result.append($0) }
        return result
    }

    /// The next row as a `Row`, or `nil` when there is none; resets the statement.
    func first<Row: StoredRow>(_ type: Row.Type) throws -> Row? {
        defer { reset() }
        return try next(type)
    }

    /// Steps to the next row and reads it as a `Row`, or returns `nil` when there is none (a
    /// caller that stops before then resets the statement).
    func next<Row: StoredRow>(_ type: Row.Type) throws -> Row? {
        let columns = try layout(of: type)
        return try step() ? try Row(self, columns) : nil
    }

    /// Where `Row`'s columns are in this statement's result, found by name on first use.
    private func layout<Row: StoredRow>(of type: Row.Type) throws(StoreError) -> Row.Columns {
        if let known = layouts[ObjectIdentifier(type)] as? Row.Columns { return known }
        let columns = try Row.columns(in: self)
        layouts[ObjectIdentifier(type)] = columns
        return columns
    }

    /// The index of the result column called `name`.
    ///
    /// - Throws: ``StoreError`` `io` naming the SQL when it has no such column.
    func column(_ name: String) throws(StoreError) -> Int32 {
        guard let index = optionalColumn(name) else {
            throw StoreError(.io, "`\(sql)` has no result column '\(name)'")
        }
        return index
    }

    /// The index of the result column called `name`, or `nil` when the statement has none.
    func optionalColumn(_ name: String) -> Int32? {
        (0..<sqlite3_column_count(handle)).first { index in
            sqlite3_column_name(handle, index).map { String(cString: $0) == name } ?? false
        }
    }

    /// The integer in column `index` of the current row.
    func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    /// The integer in column `index` of the current row, or `nil` for NULL.
    func optionalInt64(_ index: Int32) -> Int64? {
        sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, index)
    }

    /// The text in column `index` of the current row ("" for NULL).
    func text(_ index: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, index) else { return "" }
        return String(cString: pointer)
    }

    /// The text in column `index` of the current row, or `nil` for NULL.
    func optionalText(_ index: Int32) -> String? {
        sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : text(index)
    }

    /// The virtual machine steps the statement has run since it was prepared
    /// (`SQLITE_STMTSTATUS_VM_STEP`): grows with the rows it visits, for tests that guard a
    /// query's cost.
    var virtualMachineSteps: Int { Int(sqlite3_stmt_status(handle, SQLITE_STMTSTATUS_VM_STEP, 0)) }
}

/// SQLite's "copy the text now" destructor, which the C macro SQLITE_TRANSIENT spells as -1.
private let SQLITE_TRANSIENT_SWIFT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
