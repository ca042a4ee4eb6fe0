import GRDB

extension TranslationStore {
    /// `type|name|tbl_name|sql` of every schema row, in a fixed order.
    static func schemaRows(_ db: Database) throws -> [String] {
        try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name").map { row in
            try (0..<4).map { try row.decode(String.self, atIndex: $0) }.joined(separator: "|")
        }
    }

    /// The schema rows of a store created by this program with its migrations up to `last`
    /// (every one when `nil`).
    static func expectedSchema(upTo last: String? = nil) throws(StoreError) -> [String] {
        do {
            let queue = try DatabaseQueue(configuration: configuration())
            if let last { try migrator().migrate(queue, upTo: last) } else { try migrator().migrate(queue) }
            return try queue.read { db in try schemaRows(db) }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    /// How the schema of `db` differs from the one this program's migrations make, given the
    /// migrations it records as applied: tables, indexes, views and triggers added, missing or
    /// changed, one sentence each. Empty when it is exactly the program's.
    ///
    /// A trigger, view or index added by hand is no harmless extra: a trigger runs inside
    /// every transaction that touches its table (one on `snapshot` could delete every entry).
    static func schemaProblems(_ db: Database) throws -> [String] {
        let known = try migrationIdentifiers()
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        let ordered = known.filter(applied.contains)
        guard ordered.count == applied.count, Array(known.prefix(ordered.count)) == ordered else {
            return ["the recorded migrations \(applied.sorted()) are not a prefix of this program's \(known)"]
        }
        let expected = try expectedSchema(upTo: ordered.last)
        let found = try schemaRows(db)
        func key(_ row: String) -> String { row.components(separatedBy: "|").prefix(2).joined(separator: " ") }
        func table(_ row: String) -> String { row.components(separatedBy: "|").dropFirst(2).first ?? "" }
        let expectedKeys = Set(expected.map(key)), foundKeys = Set(found.map(key))
        var problems: [String] = []
        for row in found where !expected.contains(row) {
            if expectedKeys.contains(key(row)) {
                problems.append("\(key(row)) differs from MMUStore's definition")
            } else {
                problems.append("unexpected \(key(row))" + (row.hasPrefix("table|") ? "" : " on \(table(row))") + " (not in MMUStore's schema)")
            }
        }
        for row in expected where !foundKeys.contains(key(row)) {
            problems.append("missing \(key(row))")
        }
        return problems
    }
}
