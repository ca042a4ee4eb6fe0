import Foundation
import GRDB
import MMUCore
import MMUStore
import MMUTestSupport

/// T6/T7 (RELIABILITY.md §8): malformed and hostile database files made from a valid one, for
/// the safe opener: damaged bytes, truncations, header lies, planted schema objects, wrong
/// types, rows changed to other valid-looking values, side files planted next to the file,
/// symbolic links, an empty file and a huge sparse one.
public struct HostileCorpus {
    /// One file of the corpus.
    public struct Mutant: Sendable {
        /// Where it is.
        public var path: String
        /// How it was made.
        public var kind: Kind
        /// What exactly was done (the SQL, the bytes).
        public var detail: String
    }

    /// The ways a mutant is made.
    public enum Kind: String, CaseIterable, Sendable {
        case bitFlips, garbageBytes, zeroedPage, truncated, headerLie, extended, hostileSchema, wrongTypes
        case changedContent, plantedJournal, plantedWAL, symlink, empty, sparseHuge

        /// Kinds whose every file must be rejected (they are never the template's content).
        public var mustBeRejected: Bool {
            switch self {
            case .hostileSchema, .wrongTypes, .changedContent, .plantedWAL, .empty: true
            default: false
            }
        }
    }

    /// Writes the valid template: two sets with 4 KiB and 2 MiB pages, a global entry, memory
    /// areas, access bits and page counters, several generations and snapshots; checkpointed,
    /// so the main file holds everything.
    public static func makeTemplate(at path: String) throws {
        let store = try TranslationStore(path: path, creatingIfMissing: true)
        for (index, name) in ["alpha", "beta"].enumerated() {
            try store.createSet(named: name, architecture: index == 0 ? .x86_64FourLevel : nil)
            let base = UInt64(0x40_0000 + index << 30)
            try store.map((0..<300).map {
                MMUEntry(VirtualAddress(base + $0 << 12), to: PhysicalAddress(UInt64(0x1000_0000 + index << 28) + $0 << 12), protection: [.read, .write, .user])
            }, into: name)
            try store.update(set: name, label: "second") { tx in
                try tx.protect(try VirtualRange(start: VirtualAddress(base), byteCount: 0x8000), [.read, .user])
                try tx.map(VirtualAddress(base + 0x20_0000 * 8), to: PhysicalAddress(0x4000_0000 + UInt64(index) << 21), size: .size2MiB, protection: [.read, .execute, .user])
                try tx.recordAccess(at: VirtualAddress(base), write: true, count: 5)
                try tx.replaceAreas(in: try VirtualRange(start: VirtualAddress(base), byteCount: 0x1000), with: [
                    MemoryArea(range: try VirtualRange(start: VirtualAddress(base), byteCount: 0x200_0000), protection: [.read, .write, .user], kind: .heap, name: "[heap]")
                ])
            }
            try store.createSnapshot(named: "after-second", of: name, metadata: "{\"note\":\"template\"}")
            try store.update(set: name, label: "third") { tx in try tx.unmap(try VirtualRange(start: VirtualAddress(base + 0x10_000), byteCount: 0x4000)) }
        }
        try store.update(set: "alpha", label: "kernel") { tx in
            try tx.map(VirtualAddress(0xffff_8000_0000_0000), to: PhysicalAddress(0x8000_0000), size: .size2MiB, protection: [.read, .write], attributes: .global)
        }
        try store.checkpoint()
    }

    /// Writes `count` mutants of `template` into `directory` (kinds in turn, details drawn from
    /// `seed`).
    public static func build(template: String, into directory: URL, count: Int, seed: UInt64) throws -> [Mutant] {
        let original = try Data(contentsOf: URL(fileURLWithPath: template))
        var generator = SplitMix64(seed: seed)
        var mutants: [Mutant] = []
        for index in 0..<count {
            let kind = Kind.allCases[index % Kind.allCases.count]
            let path = directory.appendingPathComponent(String(format: "%05d-%@.sqlite", index, kind.rawValue)).path
            let detail = try make(kind, from: original, at: path, template: template, generator: &generator)
            mutants.append(Mutant(path: path, kind: kind, detail: detail))
        }
        return mutants
    }

    private static func random(_ generator: inout SplitMix64, below bound: Int) -> Int {
        Int(generator.next() % UInt64(max(bound, 1)))
    }

    private static func make(_ kind: Kind, from original: Data, at path: String, template: String, generator: inout SplitMix64) throws -> String {
        var bytes = original
        let url = URL(fileURLWithPath: path)
        switch kind {
        case .bitFlips:
            let flips = 1 + random(&generator, below: 8)
            var offsets: [Int] = []
            for _ in 0..<flips {
                let offset = random(&generator, below: bytes.count)
                bytes[offset] ^= UInt8(1 << random(&generator, below: 8))
                offsets.append(offset)
            }
            try bytes.write(to: url)
            return "bits flipped at \(offsets)"
        case .garbageBytes:
            let length = 1 + random(&generator, below: 512)
            let offset = random(&generator, below: bytes.count - length)
            for index in offset..<(offset + length) { bytes[index] = UInt8(truncatingIfNeeded: generator.next()) }
            try bytes.write(to: url)
            return "\(length) random bytes at \(offset)"
        case .zeroedPage:
            let page = random(&generator, below: bytes.count / 4096)
            bytes.replaceSubrange((page * 4096)..<(page * 4096 + 4096), with: Data(count: 4096))
            try bytes.write(to: url)
            return "page \(page) zeroed"
        case .truncated:
            let length = random(&generator, below: 2) == 0 ? random(&generator, below: bytes.count / 4096) * 4096 : random(&generator, below: bytes.count)
            try bytes.prefix(length).write(to: url)
            return "truncated to \(length) bytes"
        case .headerLie:
            let fields: [(String, Range<Int>)] = [
                ("page size", 16..<18), ("write version", 18..<19), ("read version", 19..<20), ("change counter", 24..<28),
                ("page count", 28..<32), ("freelist trunk", 32..<36), ("freelist count", 36..<40), ("schema cookie", 40..<44),
                ("schema format", 44..<48), ("user version", 60..<64), ("application id", 68..<72), ("valid-for", 92..<96),
            ]
            let (name, range) = fields[random(&generator, below: fields.count)]
            for index in range { bytes[index] = UInt8(truncatingIfNeeded: generator.next()) }
            try bytes.write(to: url)
            return "header \(name) randomized"
        case .extended:
            let pages = 1 + random(&generator, below: 16)
            bytes.append(Data((0..<(pages * 4096)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }))
            try bytes.write(to: url)
            return "\(pages) random pages appended"
        case .hostileSchema:
            let statements = [
                "CREATE TRIGGER spy AFTER UPDATE ON translationSet BEGIN SELECT 1; END",
                "CREATE TRIGGER loader BEFORE DELETE ON snapshot BEGIN SELECT load_extension('evil'); END",
                "CREATE VIEW extra AS SELECT 1", "CREATE TABLE extra (x)", "CREATE INDEX hidden ON mmuEntry (abs(pfn))",
                "ALTER TABLE snapshot RENAME TO snapshots", "ALTER TABLE pageActivity RENAME COLUMN faults TO fault",
                "DROP VIEW liveArea", "DROP INDEX mmuEntryBirth", "CREATE TEMP TABLE ignored (x); CREATE TABLE shadow AS SELECT * FROM liveSummary",
                "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = replace(sql, 'createdAt TEXT NOT NULL', 'createdAt TEXT NOT NULL CHECK (load_extension(''evil'') IS NULL)') WHERE name = 'translationSet'",
                "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = replace(sql, 'bgen INTEGER AS (nullif(born, 0)) VIRTUAL', 'bgen INTEGER AS (nullif(born, 1)) VIRTUAL') WHERE name = 'mmuEntry'",
            ]
            let sql = statements[random(&generator, below: statements.count)]
            try bytes.write(to: url)
            try edit(path, sql)
            return sql
        case .wrongTypes:
            let table = ["pageActivity", "snapshot", "liveSummary"][random(&generator, below: 3)]
            try bytes.write(to: url)
            try looseStrictness(path, table: table)
            return "a text value in STRICT table \(table)"
        case .changedContent:
            let statements = [
                "UPDATE mmuEntry SET pfn = pfn + 1 WHERE vpn = (SELECT vpn FROM mmuEntry WHERE died IS NULL LIMIT 1 OFFSET 17)",
                "UPDATE mmuEntry SET protection = 15 - protection WHERE vpn = (SELECT vpn FROM mmuEntry LIMIT 1 OFFSET 40)",
                "UPDATE mmuEntry SET cacheMode = 3 WHERE vpn = (SELECT vpn FROM mmuEntry LIMIT 1 OFFSET 90)",
                "DELETE FROM mmuEntry WHERE vpn = (SELECT vpn FROM mmuEntry LIMIT 1 OFFSET 120)",
                "UPDATE mmuEntry SET died = NULL WHERE died IS NOT NULL AND vpn = (SELECT vpn FROM mmuEntry WHERE died IS NOT NULL LIMIT 1)",
                "UPDATE memoryArea SET name = '[stack]'", "UPDATE memoryArea SET protection = 1",
                "UPDATE snapshot SET generation = generation - 1 WHERE name = 'after-second' AND setId = 2",
                "UPDATE snapshot SET name = 'renamed' WHERE setId = 2", "UPDATE snapshot SET metadata = '{}'",
                "UPDATE entryState SET dirty = 1 - dirty", "UPDATE entryState SET accessed = 0",
                "UPDATE pageActivity SET accesses = accesses + 1", "UPDATE pageActivity SET faults = 7",
                "UPDATE transactionLog SET label = 'forged' WHERE sequence = 2",
                "UPDATE transactionLog SET maps = maps + 1 WHERE sequence = 1",
                "UPDATE translationSet SET name = 'gamma' WHERE name = 'beta'",
                "UPDATE translationSet SET architecture = 'riscv-sv39' WHERE name = 'alpha'",
                "UPDATE liveSummary SET protection = 15 WHERE (setId, pageShift, protection) IN (SELECT setId, pageShift, protection FROM liveSummary LIMIT 1)",
            ]
            let sql = statements[random(&generator, below: statements.count)]
            try bytes.write(to: url)
            try edit(path, sql)
            return sql
        case .plantedJournal:
            try bytes.write(to: url)
            try Data((0..<(4096 * (1 + random(&generator, below: 4)))).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
                .write(to: URL(fileURLWithPath: path + "-journal"))
            return "random -journal planted beside it"
        case .plantedWAL:
            try bytes.write(to: url)
            try Data((0..<(4096 * (1 + random(&generator, below: 4)))).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
                .write(to: URL(fileURLWithPath: path + "-wal"))
            return "random -wal planted beside it"
        case .symlink:
            let target = path + ".target"
            try bytes.write(to: URL(fileURLWithPath: target))
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
            return "a symbolic link to a valid copy"
        case .empty:
            try Data().write(to: url)
            return "empty"
        case .sparseHuge:
            try bytes.write(to: url)
            let handle = try FileHandle(forWritingTo: url)
            try handle.truncate(atOffset: 1 << 30)
            try handle.close()
            return "a valid database at the start of a 1 GiB sparse file"
        }
    }

    /// Runs `sql` on the file through a plain connection, as an attacker's tool would.
    private static func edit(_ path: String, _ sql: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = DELETE")
            try db.execute(sql: sql)
        }
        try queue.close()
    }

    /// Drops STRICT from `table`'s definition, stores a text where an integer belongs, and puts
    /// STRICT back: a file whose schema text is intact but whose values have the wrong type.
    private static func looseStrictness(_ path: String, table: String) throws {
        let original = try DatabaseQueue(path: path).read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = ?", arguments: [table]) ?? ""
        }
        let loose = original.replacingOccurrences(of: ") STRICT, WITHOUT ROWID", with: ") WITHOUT ROWID").replacingOccurrences(of: ") STRICT", with: ")")
        try edit(path, "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = '\(loose.replacingOccurrences(of: "'", with: "''"))' WHERE name = '\(table)'")
        let update = [
            "pageActivity": "UPDATE pageActivity SET accesses = 'many' WHERE (setId, vpn) IN (SELECT setId, vpn FROM pageActivity LIMIT 1)",
            "snapshot": "UPDATE snapshot SET generation = 'many' WHERE id IN (SELECT id FROM snapshot LIMIT 1)",
            "liveSummary": "UPDATE liveSummary SET entries = 'many' WHERE (setId, pageShift, protection) IN (SELECT setId, pageShift, protection FROM liveSummary LIMIT 1)",
        ]
        try edit(path, update[table] ?? "")
        try edit(path, "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = '\(original.replacingOccurrences(of: "'", with: "''"))' WHERE name = '\(table)'")
    }
}
