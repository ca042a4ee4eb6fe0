import Foundation
import GRDB
import GRDBSQLite
import MMUCore

extension TranslationStore {
    /// The tables ``writeRows(of:asCSVTo:)`` copies for the runs lake (`tools/lake`): every table
    /// with a run's data. The lookup tables `protectionName` and `cacheModeName` are not among
    /// them: they are constants of the schema, and the lake's views define them once.
    public static let rowTables = [
        "translationSet", "mmuEntry", "entryState", "pageActivity", "memoryArea", "liveSummary", "transactionLog",
        "snapshot", "snapshotEntryState", "snapshotPageActivity",
    ]

    /// Writes every row of one table as CSV (RFC 4180) to a new file, streaming: one row in
    /// memory at a time, written in 1 MiB blocks, all rows read in one transaction.
    ///
    /// The first line names the columns in the table's order (generated columns such as
    /// `mmuEntry.bgen` left out). Integers are written in decimal; text is always quoted, with
    /// `"` doubled (invalid UTF-8 is written as U+FFFD); NULL is an empty, unquoted field, so a
    /// reader tells NULL from empty text. Meant for a store from ``openUntrusted(path:sizeLimit:timeout:)``,
    /// whose schema has been compared with this program's.
    ///
    /// - Parameters:
    ///   - table: One of ``rowTables``.
    ///   - path: The file to create; it must not exist.
    /// - Returns: The table's columns and the number of rows written.
    /// - Throws: ``StoreError`` `notFound` for a table not in ``rowTables``, `alreadyExists`
    ///   when `path` exists, `io` when it cannot be written or the table cannot be read.
    /// - Complexity: O(rows) time, O(1) memory.
    public func writeRows(of table: String, asCSVTo path: String) throws(StoreError) -> TableRows {
        guard Self.rowTables.contains(table) else {
            throw StoreError(.notFound, "no table '\(TerminalText.escaped(table))' to write; the tables are \(Self.rowTables.joined(separator: ", "))")
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw StoreError(errno == EEXIST ? .alreadyExists : .io, "cannot create \(TerminalText.escaped(path)): \(reason)")
        }
        let output = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        return try read { db in
            let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { $0["name"] as String }
            var writer = CSVWriter(output)
            try writer.write(line: columns.map { Array(CSVWriter.quoted($0).utf8) })
            let count = try Self.stream(
                "SELECT \(columns.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \(table)", in: db, to: &writer)
            try writer.flush()
            do {
                try output.synchronize()
            } catch {
                throw StoreError(.io, "cannot write \(TerminalText.escaped(path)): \(error)")
            }
            return TableRows(table: table, columns: columns, rows: count, path: path)
        }
    }

    /// Steps `sql` and writes each row as one CSV line; returns the number of rows.
    private static func stream(_ sql: String, in db: Database, to writer: inout CSVWriter) throws -> Int {
        guard let connection = db.sqliteConnection else { throw StoreError(.io, "the connection is closed") }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        defer { sqlite3_finalize(statement) }
        let columnCount = sqlite3_column_count(statement)
        var rows = 0
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { return rows }
            guard step == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: step), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
            }
            for column in 0..<columnCount {
                if column > 0 { writer.append(UInt8(ascii: ",")) }
                switch sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER:
                    writer.append(String(sqlite3_column_int64(statement, column)))
                case SQLITE_NULL:
                    break
                default:
                    let count = Int(sqlite3_column_bytes(statement, column))
                    let text = sqlite3_column_text(statement, column).map {
                        String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
                    } ?? ""
                    writer.append(CSVWriter.quoted(text))
                }
            }
            try writer.endLine()
            rows += 1
        }
    }
}
