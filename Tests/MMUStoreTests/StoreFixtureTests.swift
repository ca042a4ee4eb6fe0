import Foundation
import GRDB
import MMUCore
import Testing

@testable import MMUStore

/// The fixture's dump is the atomicity tests' proof that a failed transaction changed nothing,
/// so it must see a change to any value of any table: each test here changes one behind the
/// store's back and expects the dumps to differ.
struct StoreFixtureTests {
    /// A store with a row in every table a transaction writes: entries, states, counters,
    /// areas, log rows and a snapshot with metadata.
    func populated() throws -> StoreFixture {
        let fixture = try StoreFixture()
        let store = fixture.store
        try store.createSet(named: "p", architecture: .x86_64FourLevel)
        try store.update(set: "p", label: "first") { tx in
            try tx.map(VirtualAddress(0x1000), to: PhysicalAddress(0x5000), protection: [.read, .write, .user])
            try tx.map(VirtualAddress(0x2000), to: PhysicalAddress(0x6000), protection: [.read, .user])
            try tx.recordAccess(at: VirtualAddress(0x1000), write: true)
        }
        try store.update(set: "p") { tx in
            try tx.unmap(try VirtualRange(start: VirtualAddress(0x2000), byteCount: 0x1000))
            try tx.recordAccess(at: VirtualAddress(0x1000), write: false)
        }
        try store.createSnapshot(named: "s", of: "p", metadata: "{}")
        return fixture
    }

    /// Runs `sql` on the store's file through the store's own connection, outside its
    /// transaction API, so no digest, seal or chain is recomputed.
    func plant(_ fixture: StoreFixture, _ sql: String) throws {
        let changes = try fixture.store.write { db in
            try db.execute(sql: sql)
            return db.changesCount
        }
        #expect(changes == 1, "the planted fault '\(sql)' changed \(changes) rows")
    }

    @Test(arguments: [
        "UPDATE transactionLog SET digest = digest + 1 WHERE sequence = 1",
        "UPDATE transactionLog SET globalDigest = globalDigest + 1 WHERE sequence = 2",
        "UPDATE transactionLog SET chain = chain + 1 WHERE sequence = 2",
        "UPDATE transactionLog SET entriesAdded = entriesAdded + 1 WHERE sequence = 1",
        "UPDATE transactionLog SET entriesRemoved = entriesRemoved + 1 WHERE sequence = 2",
        "UPDATE transactionLog SET committedAt = '2000-01-01T00:00:00.000Z' WHERE sequence = 1",
        "UPDATE transactionLog SET label = NULL WHERE sequence = 1",
        "UPDATE translationSet SET headDigest = headDigest + 1 WHERE name = 'p'",
        "UPDATE translationSet SET stateDigest = stateDigest + 1 WHERE name = 'p'",
        "UPDATE translationSet SET storedRows = storedRows + 1 WHERE name = 'p'",
        "UPDATE translationSet SET seal = seal + 1 WHERE name = 'p'",
        "UPDATE translationSet SET createdAt = '2000-01-01T00:00:00.000Z' WHERE name = 'p'",
        "UPDATE pageActivity SET accesses = accesses + 1 WHERE vpn = 1",
        "UPDATE pageActivity SET lastGeneration = lastGeneration + 1 WHERE vpn = 1",
        "UPDATE entryState SET dirty = 0 WHERE vpn = 1",
        "UPDATE mmuEntry SET cacheMode = 3 WHERE vpn = 1",
        "UPDATE mmuEntry SET died = NULL WHERE vpn = 2",
        "UPDATE liveSummary SET entries = entries + 1 WHERE setId = 2",
        "UPDATE snapshot SET metadata = '[]' WHERE name = 's'",
        "UPDATE snapshot SET seal = seal + 1 WHERE name = 's'",
        "DELETE FROM entryState WHERE vpn = 1",
        "DELETE FROM grdb_migrations WHERE identifier = (SELECT max(identifier) FROM grdb_migrations)",
        "UPDATE protectionName SET name = 'rwx?' WHERE protection = 15",
    ])
    func aValueChangedBehindTheStoresBackMakesTheDumpsDiffer(fault: String) throws {
        let fixture = try populated()
        let before = try fixture.dump()
        try plant(fixture, fault)
        #expect(try fixture.dump() != before, "the dump did not see: \(fault)")
    }

    @Test func aColumnAddedByALaterMigrationIsCompared() throws {
        let fixture = try populated()
        let before = try fixture.dump()
        try fixture.store.write { db in try db.execute(sql: "ALTER TABLE translationSet ADD COLUMN note TEXT") }
        #expect(try fixture.dump() != before)
        try fixture.store.write { db in try db.execute(sql: "CREATE TABLE extra (x INTEGER) STRICT") }
        let withTable = try fixture.dump()
        try fixture.store.write { db in try db.execute(sql: "INSERT INTO extra VALUES (1)") }
        #expect(try fixture.dump() != withTable)
    }

    @Test func equalContentGivesEqualDumpsAndTypesAreDistinguished() throws {
        let fixture = try populated()
        let before = try fixture.dump()
        #expect(try fixture.dump() == before)
        try plant(fixture, "UPDATE snapshot SET metadata = '1' WHERE name = 's'")
        let asText = try fixture.dump()
        try plant(fixture, "UPDATE snapshot SET metadata = NULL WHERE name = 's'")
        #expect(try fixture.dump() != asText)
        try plant(fixture, "UPDATE snapshot SET metadata = '{}' WHERE name = 's'")
        #expect(try fixture.dump() == before)
    }
}
