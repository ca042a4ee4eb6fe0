import Foundation
import GRDB
import MMUCore
@testable import MMUStore

/// A fresh store in a private temporary directory, removed when the fixture is released.
final class StoreFixture {
    let directory: URL
    let store: TranslationStore

    var path: String { directory.appendingPathComponent("store.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try TranslationStore(path: directory.appendingPathComponent("store.sqlite").path, creatingIfMissing: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Every row of every table, as text, in a fixed order: equal dumps mean equal content.
    ///
    /// The tables come from `sqlite_master` and their columns from `pragma table_xinfo`
    /// (generated columns included), so a table or column added by a later migration is
    /// compared without anyone editing this list. Every column is compared, times, seals and the
    /// log chain included: the dumps compared are taken from one file, so nothing differs between
    /// equal states. Each value is SQLite's `quote()` of it, so `1`, `'1'`, `1.0` and `NULL` differ.
    func dump() throws -> [String] {
        try store.read { db in
            var lines: [String] = []
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            for table in tables {
                let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_xinfo(?) ORDER BY cid", arguments: [table])
                let quoted = columns.map { "quote(\($0.quotedDatabaseIdentifier))" }.joined(separator: " || '|' || ")
                let rows = try String.fetchAll(db, sql: "SELECT \(quoted) FROM \(table.quotedDatabaseIdentifier)")
                lines += rows.map { "\(table)(\(columns.joined(separator: ","))): \($0)" }.sorted()
            }
            return lines
        }
    }
}
