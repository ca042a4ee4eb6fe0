import Foundation
import GRDB
import MMUCore
import Testing

@testable import MMUStore

/// ``TranslationStore/init(readingAt:)``: never writes, never shows stale or torn data.
@Suite(.serialized)
struct ReadingStoreTests {
    /// A directory holding a store with one set of one entry, closed (no `-wal` or `-shm`).
    final class ClosedStore {
        let directory: URL
        var path: String { directory.appendingPathComponent("store.sqlite").path }

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-reading-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let store = try TranslationStore(path: path, creatingIfMissing: true)
            try store.createSet(named: "p")
            try Self.mapOne(store, at: 0x1000)
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        static func mapOne(_ store: TranslationStore, at address: UInt64) throws {
            try store.update(set: "p") { tx in try tx.map(VirtualAddress(address), to: PhysicalAddress(address), protection: .read) }
        }

        func files() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() }
        func bytes() -> Data? { FileManager.default.contents(atPath: path) }
    }

    @Test func readsAClosedFileThroughItsMainFileAloneAndRefusesChanges() throws {
        let closed = try ClosedStore()
        #expect(try closed.files() == ["store.sqlite"])
        let before = closed.bytes()
        let store = try TranslationStore(readingAt: closed.path)
        #expect(store.access?.route == .mainFileOnly)
        #expect(try store.translationSet(named: "p").count == 1)
        #expect(try store.query("SELECT count(*) FROM mmuEntry").rows == [[.integer(1)]])
        let refused = #expect(throws: StoreError.self) { try ClosedStore.mapOne(store, at: 0x2000) }
        #expect(refused?.code == .readOnly)
        #expect(refused?.message.contains("opened for reading only") == true)
        #expect(try closed.files() == ["store.sqlite"])
        #expect(closed.bytes() == before)
    }

    /// The fault the check after each read exists to catch: a writer that opens the file and
    /// commits while it is read through its main file alone.
    @Test func aWriterAppearingDuringAMainFileReadIsNotShownAsIfNothingChanged() throws {
        let closed = try ClosedStore()
        let reader = try TranslationStore(readingAt: closed.path)
        #expect(reader.access?.route == .mainFileOnly)
        #expect(try reader.translationSet(named: "p").count == 1)
        let writer = try TranslationStore(path: closed.path)
        try ClosedStore.mapOne(writer, at: 0x2000)
        let refused = #expect(throws: StoreError.self) { try reader.translationSet(named: "p") }
        #expect(refused?.code == .busy)
        #expect(refused?.message.contains("run the command again") == true)
        let again = try TranslationStore(readingAt: closed.path)
        #expect(again.access?.route == .writeAheadLog)
        #expect(try again.translationSet(named: "p").count == 2)
    }

    /// A transaction committed only in the `-wal` (its writer still open) is seen.
    @Test func readsTheLogOfAnOpenWriter() throws {
        let closed = try ClosedStore()
        let writer = try TranslationStore(path: closed.path)
        try ClosedStore.mapOne(writer, at: 0x2000)
        let files = try closed.files()
        let store = try TranslationStore(readingAt: closed.path)
        #expect(store.access?.route == .writeAheadLog)
        #expect(try store.translationSet(named: "p").count == 2)
        #expect(try closed.files() == files)
    }

    /// A `-wal` holding frames without its `-shm` (files copied without it) cannot be read
    /// without creating a `-shm`: refused, saying what to do, and nothing is created.
    @Test func aLogWithoutItsSharedMemoryIsRefusedWithoutCreatingIt() throws {
        let closed = try ClosedStore()
        let writer = try TranslationStore(path: closed.path)
        try ClosedStore.mapOne(writer, at: 0x2000)
        let copy = closed.directory.appendingPathComponent("copy")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: false)
        for suffix in ["", "-wal"] {
            try FileManager.default.copyItem(atPath: closed.path + suffix, toPath: copy.appendingPathComponent("store.sqlite" + suffix).path)
        }
        let path = copy.appendingPathComponent("store.sqlite").path
        let refused = #expect(throws: StoreError.self) { try TranslationStore(readingAt: path) }
        #expect(refused?.message.contains("-shm is missing") == true)
        #expect(refused?.message.contains("mmu init -d") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: copy.path).sorted() == ["store.sqlite", "store.sqlite-wal"])
    }

    @Test func aFileThatNeedsMigratingIsRefusedNotMigrated() throws {
        let closed = try ClosedStore()
        let last = try #require(try TranslationStore.migrationIdentifiers().last)
        let queue = try DatabaseQueue(path: closed.path)
        try queue.write { db in try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [last]) }
        try queue.close()
        let before = closed.bytes()
        let refused = #expect(throws: StoreError.self) { try TranslationStore(readingAt: closed.path) }
        #expect(refused?.code == .outdatedSchema)
        #expect(refused?.message.contains("missing migrations: \(last)") == true)
        #expect(closed.bytes() == before)
        #expect(try closed.files() == ["store.sqlite"])
    }

    @Test func missingEmptyAndForeignFilesAreNamed() throws {
        let closed = try ClosedStore()
        let missing = closed.directory.appendingPathComponent("missing.sqlite").path
        #expect(throws: StoreError.self) { try TranslationStore(readingAt: missing) }
        let empty = closed.directory.appendingPathComponent("empty.sqlite").path
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        let text = closed.directory.appendingPathComponent("text.sqlite").path
        #expect(FileManager.default.createFile(atPath: text, contents: Data("not a database".utf8)))
        for (path, code, words) in [(missing, StoreError.Code.notFound, "no MMUStore database"), (empty, .notAStore, "empty file"), (text, .notAStore, "not an SQLite database")] {
            let refused = #expect(throws: StoreError.self) { try TranslationStore(readingAt: path) }
            #expect(refused?.code == code)
            #expect(refused?.message.contains(words) == true, "\(refused?.message ?? "")")
        }
        #expect(try closed.files() == ["empty.sqlite", "store.sqlite", "text.sqlite"])
    }
}
