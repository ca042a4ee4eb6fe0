import Foundation
import MMUCore
import Testing

@testable import MMUStore

struct QueryTests {
    @Test func readsThroughTheViews() throws {
        let fixture = try StoreFixture()
        try fixture.store.createSet(named: "p")
        try fixture.store.map([MMUEntry(VirtualAddress(0xffff_8000_0000_0000), to: PhysicalAddress(0x20_0000), size: .size2MiB, protection: [.read, .write])], into: "p")
        let result = try fixture.store.query("SELECT virtualAddress, physicalAddress, pageBytes, protection FROM liveEntry")
        #expect(result.columns == ["virtualAddress", "physicalAddress", "pageBytes", "protection"])
        #expect(result.rows == [[.text("0xffff800000000000"), .text("0x0000000000200000"), .integer(0x20_0000), .text("rw--")]])
    }

    /// The address columns are fixed-width text, so sorting them as text is sorting by address
    /// (low, user-half and kernel-half addresses together, where unpadded text would put 0x1000 after 0xfff…).
    @Test func addressTextSortsInAddressOrder() throws {
        let fixture = try StoreFixture()
        try fixture.store.createSet(named: "p")
        let addresses: [UInt64] = [0xffff_8000_0000_0000, 0x1000, 0x7fff_ffff_f000, 0x10000, 0xffff_ffff_ffff_f000, 0x40_0000, 0x2000, 0x7f00_0000_1000]
        try fixture.store.map(
            addresses.enumerated().map { MMUEntry(VirtualAddress($1), to: PhysicalAddress(UInt64($0 * 0x11) << 12), protection: [.read, .user]) },
            into: "p")
        try fixture.store.update(set: "p") { tx in
            for address in addresses { try tx.recordAccess(at: VirtualAddress(address)) }
            try tx.replaceAreas(
                in: VirtualRange(pages: 0..<VirtualRange.pageLimit),
                with: try addresses.map { MemoryArea(range: try VirtualRange(start: VirtualAddress($0), byteCount: 0x1000), protection: [.read, .user], kind: .anonymous) })
        }
        for (view, text, number) in [
            ("liveEntry", "virtualAddress", "vpn"), ("entryVersion", "virtualAddress", "vpn"), ("pageHeat", "virtualAddress", "vpn"),
            ("liveEntry", "physicalAddress", "pfn"),
        ] {
            let byText = try fixture.store.query("SELECT \(text) FROM \(view) ORDER BY \(text)").rows
            let byNumber = try fixture.store.query("SELECT \(text) FROM \(view) ORDER BY \(number)").rows
            #expect(byText.count == addresses.count, "\(view)")
            #expect(byText == byNumber, "\(view).\(text)")
        }
        let starts = try fixture.store.query("SELECT startAddress FROM liveArea ORDER BY startAddress").rows
        #expect(starts == addresses.sorted().map { [.text("0x" + String(repeating: "0", count: 16 - String($0, radix: 16).count) + String($0, radix: 16))] })
        #expect(try fixture.store.query("SELECT virtualAddress FROM liveEntry ORDER BY vpn LIMIT 1").rows == [[.text("0x0000000000001000")]])
        #expect(try fixture.store.query("SELECT endAddress FROM liveArea ORDER BY startAddress DESC LIMIT 2").rows
            == [[.text("0x10000000000000000")], [.text("0xffff800000001000")]])
    }

    /// Short queries (Swift keeps them inline, so their C copy is a temporary) are one statement:
    /// the text after the statement is read while the copy still lives.
    @Test func shortQueriesAreOneStatement() throws {
        let fixture = try StoreFixture()
        for query in ["select 1, 1", "select 1, 2", "SELECT 7,8", "select 1", "select 1, 1;", "values (1, 2)"] {
            for _ in 0..<20 {
                #expect(try fixture.store.query(query).rows.count == 1, "\(query)")
            }
        }
    }

    @Test(arguments: [
        "INSERT INTO snapshot (setId, name, generation, globalGeneration, createdAt) VALUES (2, 'x', 0, 0, 'now')",
        "UPDATE mmuEntry SET pfn = 0", "DELETE FROM mmuEntry", "DROP TABLE snapshot", "DROP VIEW liveEntry",
        "CREATE TABLE t (x)", "CREATE TEMP TABLE t (x)", "ALTER TABLE snapshot ADD COLUMN x", "ATTACH ':memory:' AS other",
        "PRAGMA user_version = 7", "PRAGMA journal_mode = DELETE", "PRAGMA writable_schema = ON", "PRAGMA wal_checkpoint(TRUNCATE)",
        "SELECT load_extension('libevil')", "VACUUM", "REINDEX", "ANALYZE", "BEGIN IMMEDIATE", "SAVEPOINT s",
        "SELECT 1; DELETE FROM mmuEntry", "WITH x AS (SELECT 1) DELETE FROM mmuEntry",
        "UPDATE sqlite_master SET sql = 'x'", "PRAGMA writable_schema = 1; UPDATE sqlite_master SET sql = 'x'",
    ])
    func refusesAnythingThatWritesAndChangesNothing(sql: String) throws {
        let fixture = try StoreFixture()
        try fixture.store.createSet(named: "p")
        try fixture.store.map([MMUEntry(VirtualAddress(0x1000), to: PhysicalAddress(0x1000), protection: .read)], into: "p")
        let before = try fixture.dump()
        let files = try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path).sorted()
        #expect(throws: StoreError.self) { try fixture.store.query(sql) }
        #expect(try fixture.dump() == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path).sorted() == files)
    }

    @Test func allowsReadingPragmasAndInterruptsRunawayQueries() throws {
        let fixture = try StoreFixture()
        #expect(try fixture.store.query("PRAGMA table_info(mmuEntry)").rows.count == 8)
        #expect(try fixture.store.query("SELECT * FROM pragma_table_list").rows.count > 10)
        do {
            _ = try fixture.store.query("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n", timeout: 0.5)
            Issue.record("an endless query finished")
        } catch {
            #expect(error.message.contains("interrupted"))
        }
    }
}
