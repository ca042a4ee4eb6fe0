import Foundation
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
    func dump() throws -> [String] {
        try store.read { db in
            var lines: [String] = []
            for table in ["translationSet", "mmuEntry", "entryState", "pageActivity", "memoryArea", "liveSummary", "transactionLog", "snapshot", "grdb_migrations"] {
                let query = try SQLiteStatement(db, "SELECT * FROM \(table)")
                var rows: [String] = []
                while try query.step() {
                    rows.append("\(table): " + (0..<12).map { query.text(Int32($0)) }.joined(separator: "|"))
                }
                lines += rows.sorted()
            }
            return lines
        }
    }
}

