import Foundation
import GRDB
import Testing

@testable import MMUStore

struct MigrationTests {
    func schema(_ writer: some DatabaseReader) throws -> [String] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
                .map { "\($0)" }
        }
    }

    @Test func appliedIdentifiersAreTheSortedFileStems() throws {
        let fixture = try StoreFixture()
        let files = try FileManager.default.contentsOfDirectory(
            atPath: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../migrations").path)
        let stems = files.filter { $0.hasSuffix(".sql") }.map { String($0.dropLast(4)) }.sorted()
        #expect(!stems.isEmpty)
        #expect(try fixture.store.appliedMigrations() == stems)
        #expect(try TranslationStore.migrationIdentifiers() == stems)
        #expect(stems.allSatisfy { $0.range(of: #"^\d{4}_[a-z0-9_]+$"#, options: .regularExpression) != nil })
    }

    @Test func anUpgradedFileHasTheSchemaOfAFreshOne() throws {
        let fresh = try StoreFixture()
        let expected = try schema(fresh.store.writer)
        for identifier in try TranslationStore.migrationIdentifiers() {
            let directory = fresh.directory.appendingPathComponent(identifier)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("old.sqlite").path
            do {
                let queue = try DatabaseQueue(path: path)
                try TranslationStore.migrator().migrate(queue, upTo: identifier)
            }
            let upgraded = try TranslationStore(path: path)
            #expect(try schema(upgraded.writer) == expected, "upgraded from \(identifier)")
        }
    }

    @Test func aNewerSchemaIsRefusedAndTheFileLeftAlone() throws {
        let fixture = try StoreFixture()
        let path = fixture.path
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('9999_from_the_future')") }
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            _ = try TranslationStore(path: path)
            Issue.record("a store with an unknown migration was opened")
        } catch {
            #expect(error.code == .newerSchema)
            #expect(error.message.contains("9999_from_the_future"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func anotherApplicationsDatabaseIsRefusedUntouched() throws {
        let fixture = try StoreFixture()
        let path = fixture.directory.appendingPathComponent("other.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT)") }
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: StoreError.self) { try TranslationStore(path: path, creatingIfMissing: true) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }
}
