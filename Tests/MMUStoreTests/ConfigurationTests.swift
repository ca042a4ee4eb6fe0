import CSQLiteSupport
import Foundation
import GRDB
import Testing

@testable import MMUStore

/// Guards on the settings the store's promises rest on (RELIABILITY.md, T8).
struct ConfigurationTests {
    @Test func theWriterIsDurableAfterGRDBsOwnSetup() throws {
        let fixture = try StoreFixture()
        let (synchronous, journal, foreignKeys) = try fixture.store.writer.writeWithoutTransaction { db in
            (
                try Int.fetchOne(db, sql: "PRAGMA synchronous"), try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try Int.fetchOne(db, sql: "PRAGMA foreign_keys")
            )
        }
        #expect(synchronous == 2)
        #expect(journal == "wal")
        #expect(foreignKeys == 1)
        // The busy handler naps about a millisecond per try and gives up after 5 s of naps
        // (BusyTimeoutTests measures the real wait against a lock held by another process).
        #expect(TranslationStore.busyTimeout >= 5)
        #expect(TranslationStore.waitForLock(0))
        #expect(TranslationStore.waitForLock(Int(TranslationStore.busyTimeout / TranslationStore.lockNap) - 1))
        #expect(!TranslationStore.waitForLock(Int(TranslationStore.busyTimeout / TranslationStore.lockNap) + 1))
    }

    @Test func connectionsAreHardened() throws {
        let fixture = try StoreFixture()
        let (defensive, trustedFlag, trustedPragma, schemaWrite) = try fixture.store.writer.writeWithoutTransaction { db in
            let handle = UnsafeMutableRawPointer(db.sqliteConnection)
            try db.execute(sql: "PRAGMA writable_schema = ON")
            let schemaWrite = Result { try db.execute(sql: "UPDATE sqlite_schema SET sql = 'x' WHERE name = 'mmuEntry'") }
            try db.execute(sql: "PRAGMA writable_schema = OFF")
            return (
                mmu_sqlite_db_config_flag(handle, 1010),  // SQLITE_DBCONFIG_DEFENSIVE
                mmu_sqlite_db_config_flag(handle, 1017),  // SQLITE_DBCONFIG_TRUSTED_SCHEMA
                try Int.fetchOne(db, sql: "PRAGMA trusted_schema"), schemaWrite
            )
        }
        #expect(defensive == 1)
        #expect(trustedFlag == 0)
        #expect(trustedPragma == 0)
        #expect(throws: DatabaseError.self) { try schemaWrite.get() }
    }

    @Test func everyTableIsStrict() throws {
        let fixture = try StoreFixture()
        let tables = try fixture.store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'")
        }
        #expect(tables.count == 12)
        for table in tables {
            #expect(table["strict"] as Int? == 1, "table \(table["name"] as String? ?? "?") is not STRICT")
        }
    }

    @Test(arguments: TranslationStore.Durability.allCases)
    func eachDurabilityIsInForceAfterGRDBsOwnSetup(durability: TranslationStore.Durability) throws {
        let fixture = try StoreFixture()
        let path = fixture.directory.appendingPathComponent("matrix.sqlite").path
        let store = try TranslationStore(path: path, creatingIfMissing: true, vfs: nil, durability: durability)
        let (synchronous, journal) = try store.writer.writeWithoutTransaction { db in
            (try Int.fetchOne(db, sql: "PRAGMA synchronous"), try String.fetchOne(db, sql: "PRAGMA journal_mode"))
        }
        #expect(synchronous == [.walFull: 2, .deleteExtra: 3, .walNormal: 1][durability])
        #expect(journal == (durability == .deleteExtra ? "delete" : "wal"))
        #expect(try TranslationStore.location(of: path, vfs: nil) == path)
    }

    @Test func aVFSNameIsCheckedAndThePathEncoded() throws {
        #expect(try TranslationStore.location(of: "/tmp/a b?c#d%e.sqlite", vfs: "unix") == "file:/tmp/a%20b%3Fc%23d%25e.sqlite?vfs=unix")
        #expect(throws: StoreError.self) { try TranslationStore.location(of: "/tmp/x.sqlite", vfs: "unix&mode=ro") }
        #expect(throws: StoreError.self) { try TranslationStore.location(of: "/tmp/x.sqlite", vfs: "") }
    }
}
