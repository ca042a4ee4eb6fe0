import Foundation
import GRDB
import MMUCore
import Testing

@testable import MMUStore

/// A store that holds its sets in memory between transactions (`keepingSetsWarm()`, what a
/// replay uses) writes exactly what a plain store writes, and never answers from a copy that
/// another writer, a rolled-back transaction or a global entry made stale.
struct WarmSetTests {
    static func page(_ number: UInt64) -> VirtualAddress { VirtualAddress(pageNumber: number) }

    static func entry(_ page: UInt64, size: PageSize = .size4KiB, global: Bool = false) -> MMUEntry {
        MMUEntry(
            VirtualAddress(pageNumber: page), to: PhysicalAddress(frameNumber: page + 0x1000), size: size,
            protection: [.read, .write, .user], attributes: global ? .global : [])
    }

    /// The counters of page `page` of set `name`: accesses, writes, faults.
    static func counters(of page: UInt64, in name: String, _ store: TranslationStore) throws -> String {
        "\(try store.query("SELECT accesses, writes, faults FROM pageHeat WHERE setName = '\(name)' AND vpn = \(page)").rows)"
    }

    /// Rounds of mapping, batched accesses and faults, single accesses and unmapping, the same on
    /// a plain and a warm store: the counters, access bits, heads and log rows are equal, and
    /// `check` finds the warm set's state digest true to its rows.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func aWarmStoreWritesWhatAPlainStoreWrites(seed: UInt64) throws {
        let fixture = try StoreFixture()
        let plain = fixture.store, warm = fixture.store.keepingSetsWarm()
        for store in [plain, warm] { try ActivityBatchTests.populate(store, store.warmSets == nil ? "plain" : "warm") }
        for round in 0..<4 {
            let counts = ActivityBatchTests.counts(seed: seed * 10 + UInt64(round))
            for (store, name) in [(plain, "plain"), (warm, "warm")] {
                try store.update(set: name, label: "round \(round)") { tx in
                    try tx.map(Self.entry(0x300 + UInt64(round)))
                    try tx.recordActivity(counts)
                    try tx.recordAccess(at: Self.page(0x300 + UInt64(round)), write: round % 2 == 0, count: 3)
                    if round == 2 { try tx.unmap(VirtualRange(pages: 0x150..<0x160)) }
                }
                if round == 2 {
                    // The unmapped pages are mapped again: their access bits start over.
                    try store.update(set: name) { tx in try tx.map(contentsOf: (0x150..<0x160).map { Self.entry($0) }) }
                }
            }
        }
        let found = try ActivityBatchTests.state(of: "warm", warm), expected = try ActivityBatchTests.state(of: "plain", plain)
        for (warmState, plainState) in zip(found, expected) { #expect(warmState == plainState) }
        #expect(try fixture.store.check().isSound)
    }

    /// A commit by another writer between two warm transactions is seen by the second.
    @Test func aCommitByAnotherWriterIsSeen() throws {
        let fixture = try StoreFixture()
        let warm = fixture.store.keepingSetsWarm()
        let other = try TranslationStore(path: fixture.path)
        try warm.update(set: "p", creating: .init()) { tx in try tx.map(Self.entry(0x10)) }
        try warm.update(set: "p") { tx in try tx.recordAccess(at: Self.page(0x10)) }
        try other.update(set: "p") { tx in try tx.recordAccess(at: Self.page(0x10), write: true) }
        try warm.update(set: "p") { tx in try tx.recordActivity([0x10: AccessCounts(reads: 1)]) }
        #expect(try Self.counters(of: 0x10, in: "p", warm) == "[[3, 1, 0]]")
        #expect(try fixture.store.check().isSound)
    }

    /// A transaction that fails after recording leaves nothing of its own in memory: the next
    /// one counts from what was committed.
    @Test func aFailedTransactionLeavesNothingInMemory() throws {
        struct Abandoned: Error {}
        let fixture = try StoreFixture()
        let warm = fixture.store.keepingSetsWarm()
        try warm.update(set: "p", creating: .init()) { tx in try tx.map(Self.entry(0x10)) }
        try warm.update(set: "p") { tx in try tx.recordActivity([0x10: AccessCounts(reads: 1)]) }
        #expect(throws: Abandoned.self) {
            try warm.update(set: "p") { tx in
                try tx.recordActivity([0x10: AccessCounts(reads: 5, writes: 5)])
                throw Abandoned()
            }
        }
        try warm.update(set: "p") { tx in try tx.recordActivity([0x10: AccessCounts(reads: 1)]) }
        #expect(try Self.counters(of: 0x10, in: "p", warm) == "[[2, 0, 0]]")
        #expect(try fixture.store.check().isSound)
    }

    /// An operation that fails after changing entries (a replacement refused for mixing page
    /// sizes in a PowerPC segment, after it removed the entry it replaces) is undone in memory as
    /// in the database: the rest of the transaction still finds the entry.
    @Test func aFailedOperationIsUndoneInMemoryToo() throws {
        let fixture = try StoreFixture()
        let warm = fixture.store.keepingSetsWarm()
        try warm.update(set: "p", creating: .init(architecture: .ppc64HPT)) { tx in
            try tx.map(contentsOf: [Self.entry(0x10), Self.entry(0x30)])
        }
        try warm.update(set: "p") { tx in
            #expect(throws: MappingError.self) { try tx.map(Self.entry(0x10, size: .size64KiB), replacing: true) }
            try tx.recordActivity([0x10: AccessCounts(reads: 1)])
        }
        #expect(try Self.counters(of: 0x10, in: "p", warm) == "[[1, 0, 0]]")
        #expect(try fixture.store.check().isSound)
    }

    /// A damaged file with two live rows starting at one page is not held in memory: the warm
    /// store does what the plain store does with it (and does not trap on the duplicate).
    @Test func twoLiveRowsAtOnePageAreLeftToTheDatabase() throws {
        let fixture = try StoreFixture()
        let plain = fixture.store, warm = fixture.store.keepingSetsWarm()
        for name in ["plain", "warm"] {
            try plain.update(set: name, creating: .init()) { tx in try tx.map(Self.entry(0x10)) }
            try plain.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO mmuEntry (setId, vpn, born, pfn, pageShift, protection, cacheMode)
                        SELECT id, 16, 1, 99, 12, 11, 0 FROM translationSet WHERE name = ?
                        """, arguments: [name])
            }
        }
        let outcomes = try [(plain, "plain"), (warm, "warm")].map { store, name in
            let recorded = Result { try store.update(set: name) { tx in try tx.recordActivity([0x10: AccessCounts(reads: 1)]) } }
            let committed = if case .success = recorded { true } else { false }
            return "committed \(committed), counters \(try Self.counters(of: 0x10, in: name, store))"
        }
        #expect(outcomes[0] == outcomes[1])
    }

    /// Pages only a global entry maps are found, whether the global entry was there before the
    /// set was first held (written by another set) or is written by the same transaction that
    /// then records accesses to it.
    @Test(arguments: [false, true])
    func aPageOnlyAGlobalEntryMapsIsFound(globalFirst: Bool) throws {
        let fixture = try StoreFixture()
        let warm = fixture.store.keepingSetsWarm()
        let global = Self.entry(0x400, size: .size2MiB, global: true)
        if globalFirst { try fixture.store.update(set: "other", creating: .init()) { tx in try tx.map(global) } }
        try warm.update(set: "p", creating: .init()) { tx in try tx.map(Self.entry(0x10)) }
        try warm.update(set: "p") { tx in
            if !globalFirst { try tx.map(global) }
            try tx.recordActivity([0x10: AccessCounts(reads: 1), 0x401: AccessCounts(writes: 1)])
        }
        try warm.update(set: "p") { tx in try tx.recordActivity([0x401: AccessCounts(reads: 1)]) }
        #expect(try Self.counters(of: 0x401, in: "p", warm) == "[[2, 1, 0]]")
        #expect(try fixture.store.check().isSound)
    }
}
