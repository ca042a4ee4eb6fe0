import Foundation
import GRDB
import MMUCore
import MMUTestSupport
import Testing

@testable import MMUStore

/// Files from elsewhere go through the safe opener (RELIABILITY.md §4).
struct UntrustedOpenerTests {
    /// A valid, checkpointed store file and what it holds.
    final class Template {
        let directory: URL
        let path: String
        let expected: TranslationSet

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-untrusted-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            path = directory.appendingPathComponent("template.sqlite").path
            let store = try TranslationStore(path: path, creatingIfMissing: true)
            try store.createSet(named: "run")
            try store.map((0..<300).map { MMUEntry(VirtualAddress(0x40_0000 + $0 << 12), to: PhysicalAddress(0x100_0000 + $0 << 12), protection: [.read, .write, .user]) }, into: "run")
            try store.update(set: "run") { tx in
                try tx.protect(try VirtualRange(start: VirtualAddress(0x40_0000), byteCount: 0x4000), [.read, .user])
                try tx.map(VirtualAddress(0xffff_8000_0000_0000), to: PhysicalAddress(0x20_0000), size: .size2MiB, protection: .read, attributes: .global)
            }
            try store.createSnapshot(named: "first", of: "run")
            expected = try store.translationSet(named: "run")
            try store.checkpoint()
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        /// A copy of the template to damage.
        func variant(_ name: String) throws -> String {
            let copy = directory.appendingPathComponent(name).path
            try? FileManager.default.removeItem(atPath: copy)
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            return copy
        }

        /// Runs SQL on a variant through a plain connection, as an attacker would.
        func edit(_ name: String, _ sql: String) throws -> String {
            let copy = try variant(name)
            var configuration = Configuration()
            configuration.foreignKeysEnabled = false
            let queue = try DatabaseQueue(path: copy, configuration: configuration)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                try db.execute(sql: sql)
            }
            return copy
        }
    }

    func rejection(_ path: String) -> StoreError? {
        do {
            _ = try TranslationStore.openUntrusted(path: path, timeout: 10)
            return nil
        } catch {
            return error
        }
    }

    @Test func aValidFileOpensReadOnlyWithItsContent() throws {
        let template = try Template()
        let store = try TranslationStore.openUntrusted(path: try template.variant("valid.sqlite"))
        #expect(try store.translationSet(named: "run") == template.expected)
        #expect(try store.translationSet(named: "run", at: .snapshot("first")) == template.expected)
        #expect(throws: StoreError.self) { try store.createSet(named: "x") }
    }

    @Test(arguments: [
        ("CREATE TRIGGER spy AFTER INSERT ON snapshot BEGIN SELECT 1; END", "schema"),
        ("CREATE VIEW extra AS SELECT 1", "schema"),
        ("CREATE TABLE extra (x)", "schema"),
        ("ALTER TABLE snapshot RENAME TO snapshots", "schema"),
        ("DROP VIEW liveEntry", "schema"),
        ("CREATE INDEX hidden ON mmuEntry (pfn)", "schema"),
        ("UPDATE mmuEntry SET pfn = pfn + 1 WHERE vpn = 1030", "invariants"),
        ("DELETE FROM transactionLog WHERE sequence = 1", "invariants"),
        ("UPDATE translationSet SET headGeneration = 7 WHERE name = 'run'", "invariants"),
        ("PRAGMA application_id = 7", "header"),
        ("DELETE FROM grdb_migrations WHERE identifier LIKE '0002%'", "schema"),
    ])
    func hostileEditsAreRejectedAtTheRightStage(sql: String, stage: String) throws {
        let template = try Template()
        let path = try template.edit("hostile.sqlite", sql)
        let error = try #require(rejection(path), "accepted after: \(sql)")
        #expect(error.code == .untrustedFile)
        #expect(error.message.contains("stage '\(stage)'"), "\(sql): \(error.message)")
    }

    @Test func wrongTypesInStrictTablesAreCaughtByTheIntegrityCheck() throws {
        let template = try Template()
        let path = try template.variant("types.sqlite")
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = DELETE")
            let original = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'pageActivity'") ?? ""
            try db.execute(sql: "PRAGMA writable_schema = ON")
            try db.execute(sql: "UPDATE sqlite_schema SET sql = ? WHERE name = 'pageActivity'", arguments: [original.replacingOccurrences(of: "STRICT, ", with: "")])
        }
        try queue.close()
        let loose = try DatabaseQueue(path: path)
        try loose.writeWithoutTransaction { db in
            try db.execute(sql: "INSERT INTO pageActivity VALUES (2, 1, 'many', 0, 0, 0, 0)")
            let relaxed = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'pageActivity'") ?? ""
            try db.execute(sql: "PRAGMA writable_schema = ON")
            try db.execute(sql: "UPDATE sqlite_schema SET sql = ? WHERE name = 'pageActivity'", arguments: [relaxed.replacingOccurrences(of: ") WITHOUT ROWID", with: ") STRICT, WITHOUT ROWID")])
        }
        try loose.close()
        let error = try #require(rejection(path))
        #expect(error.message.contains("stage 'integrity_check'"), "\(error.message)")
    }

    /// `quick_check` does not compare an index with its table, so a damaged entry of a
    /// generation index (through which history and differences are read) would pass it and
    /// show another history; the opener's full `integrity_check` rejects it.
    @Test func anIndexThatDisagreesWithItsTableIsRejected() throws {
        let template = try Template()
        let path = try template.variant("index.sqlite")
        func query(_ sql: String) throws -> [String] {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in try String.fetchAll(db, sql: sql) }
        }
        let root = try #require(Int(try query("SELECT rootpage FROM sqlite_schema WHERE name = 'mmuEntryDeath'").first ?? ""))
        let pageSize = try #require(Int(try query("PRAGMA page_size").first ?? ""))
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let page = (root - 1) * pageSize
        try #require(bytes[page] == 0x0A, "the death index is one leaf page")
        var cursor = page + (Int(bytes[page + 8]) << 8 | Int(bytes[page + 9]))
        func varint() -> Int {
            var value = 0
            for _ in 0..<9 {
                let byte = bytes[cursor]
                cursor += 1
                value = value << 7 | Int(byte & 0x7f)
                if byte < 0x80 { break }
            }
            return value
        }
        _ = varint()
        let header = cursor
        let headerSize = varint()
        let types = (0..<4).map { _ in varint() }
        let widths = [0, 1, 2, 3, 4, 6, 8, 8, 0, 0]
        try #require((1...6).contains(types[2]), "the entry's page number is stored in bytes")
        bytes[header + headerSize + types[0...2].map { widths[$0] }.reduce(0, +) - 1] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try query("PRAGMA quick_check") == ["ok"])
        #expect(try query("PRAGMA integrity_check") != ["ok"])
        let error = try #require(rejection(path))
        #expect(error.message.contains("stage 'integrity_check'"), "\(error.message)")
    }

    @Test func damagedHeadersAndTruncationsAreRejected() throws {
        let template = try Template()
        let original = try Data(contentsOf: URL(fileURLWithPath: template.path))
        func write(_ data: Data, _ name: String) throws -> String {
            let path = template.directory.appendingPathComponent(name).path
            try data.write(to: URL(fileURLWithPath: path))
            return path
        }
        var lying = original
        lying.replaceSubrange(28..<32, with: [0x7f, 0xff, 0xff, 0xff])
        #expect(rejection(try write(lying, "lying.sqlite"))?.message.contains("stage 'header'") == true)
        var badPage = original
        badPage.replaceSubrange(16..<18, with: [0x03, 0x00])
        #expect(rejection(try write(badPage, "page.sqlite"))?.message.contains("stage 'header'") == true)
        #expect(rejection(try write(original.prefix(original.count / 2), "half.sqlite")) != nil)
        #expect(rejection(try write(original.prefix(100), "tiny.sqlite"))?.message.contains("stage 'size'") == true)
        #expect(rejection(try write(Data(count: 8192), "zeros.sqlite"))?.message.contains("stage 'header'") == true)
        #expect(rejection(template.directory.path)?.message.contains("stage 'locate'") == true)
        #expect(rejection(template.directory.appendingPathComponent("absent.sqlite").path)?.code == .notFound)
    }

    @Test(arguments: PropertySeeds.all.prefix(2))
    func bitFlipsNeverCrashAndNeverPassAsDifferentContent(seed: UInt64) throws {
        let template = try Template()
        let original = try Data(contentsOf: URL(fileURLWithPath: template.path))
        var generator = SplitMix64(seed: seed)
        var rejected = 0, accepted = 0
        for index in 0..<150 {
            var damaged = original
            for _ in 0..<(1 + Int(generator.next() % 3)) {
                let offset = Int(generator.next() % UInt64(damaged.count))
                damaged[offset] ^= UInt8(1 << (generator.next() % 8))
            }
            let path = template.directory.appendingPathComponent("flip-\(index).sqlite").path
            try damaged.write(to: URL(fileURLWithPath: path))
            do {
                let store = try TranslationStore.openUntrusted(path: path, timeout: 10)
                let read = try store.translationSet(named: "run")
                #expect(read == template.expected, "seed \(seed), file \(index): accepted with different content")
                accepted += 1
            } catch {
                rejected += 1
            }
            try FileManager.default.removeItem(atPath: path)
        }
        #expect(rejected > 0 && accepted + rejected == 150)
    }

    @Test func sideFilesNextToTheSourceAreNeverReadOrCreated() throws {
        let template = try Template()
        let path = try template.variant("planted.sqlite")
        try Data(repeating: 0xA5, count: 4096).write(to: URL(fileURLWithPath: path + "-journal"))
        let before = try FileManager.default.contentsOfDirectory(atPath: template.directory.path).sorted()
        let store = try TranslationStore.openUntrusted(path: path)
        #expect(try store.translationSet(named: "run") == template.expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: template.directory.path).sorted() == before)
        try Data(repeating: 0x5A, count: 4096).write(to: URL(fileURLWithPath: path + "-wal"))
        #expect(rejection(path)?.message.contains("stage 'write-ahead log'") == true)
    }
}
