import Foundation
import GRDB
import MMUCore
import MMUTestSupport
import Testing

@testable import MMUStore

struct StatisticsTests {
    /// Statistics counted from a model view, the way the store defines them.
    func expected(_ view: TranslationSet, name: String) -> (entries: Int, bytes: UInt64, bySize: [PageSize: Int], byProtection: [Protection: Int], global: Int, accessed: Int, dirty: Int) {
        let own = view.entries.filter { !$0.isGlobal }
        return (
            own.count, own.reduce(0) { $0 + $1.size.byteCount },
            Dictionary(grouping: own, by: \.size).mapValues(\.count), Dictionary(grouping: own, by: \.protection).mapValues(\.count),
            view.entries.count - own.count, own.filter { $0.attributes.contains(.accessed) }.count,
            own.filter { $0.attributes.contains(.dirty) }.count
        )
    }

    @Test(arguments: PropertySeeds.all.prefix(3))
    func statisticsEqualTheModel(seed: UInt64) throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let model = StoreModel()
        for name in ["a", "b"] {
            try store.createSet(named: name)
            model.createSet(name)
        }
        var operations = RandomOperations(seed: seed, otherSets: ["a", "b"])
        for round in 0..<40 {
            let name = round % 3 == 0 ? "b" : "a"
            let batch = (0..<8).map { _ in operations.next() }
            try store.update(set: name) { tx in for operation in batch { try? operation.apply(to: tx) } }
            try model.update(set: name) { tx in for operation in batch { try? operation.apply(to: tx) } }
            if round == 20 { try store.createSnapshot(named: "mid", of: "a") }
        }
        for name in ["a", "b"] {
            let statistics = try store.statistics(of: name)
            let want = expected(model.view(of: name), name: name)
            #expect(statistics.entries == want.entries, "seed \(seed)")
            #expect(statistics.bytesMapped == want.bytes)
            #expect(Dictionary(uniqueKeysWithValues: statistics.bySize.map { ($0.size, $0.entries) }) == want.bySize)
            #expect(Dictionary(uniqueKeysWithValues: statistics.byProtection.map { ($0.protection, $0.entries) }) == want.byProtection)
            #expect(statistics.globalEntries == want.global)
            #expect(statistics.accessed == want.accessed)
            #expect(statistics.dirty == want.dirty)
            #expect(statistics.transactions == model.history(of: name).count)
            let viewRow = try store.query("SELECT entries, bytesMapped, globalEntries, accessed, dirty FROM setStatistics WHERE setName = '\(name)'")
            #expect(viewRow.rows == [[.integer(Int64(want.entries)), .integer(Int64(want.bytes)), .integer(Int64(want.global)), .integer(Int64(want.accessed)), .integer(Int64(want.dirty))]])
        }
        let mid = try store.statistics(of: "a", at: .snapshot("mid"))
        let snapshotView = try store.translationSet(named: "a", at: .snapshot("mid"))
        #expect(mid.entries == snapshotView.entries.filter { !$0.isGlobal }.count)
        #expect(mid.accessed == nil)
    }

    @Test func heatAndWorkingSetQueries() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        try store.createSet(named: "p")
        try store.map((0..<8).map { MMUEntry(VirtualAddress(0x40_0000 + $0 << 12), to: PhysicalAddress($0 << 12), protection: [.read, .write]) }, into: "p")
        try store.update(set: "p") { tx in
            try tx.recordAccess(at: VirtualAddress(0x40_0000), count: 9)
            try tx.recordAccess(at: VirtualAddress(0x40_1000), write: true)
        }
        try store.createSnapshot(named: "warm", of: "p")
        try store.update(set: "p") { tx in try tx.recordAccess(at: VirtualAddress(0x40_2000), count: 2) }
        let hottest = try store.query("SELECT virtualAddress, accesses FROM pageHeat WHERE setName = 'p' ORDER BY accesses DESC LIMIT 1")
        #expect(hottest.rows == [[.text("0x0000000000400000"), .integer(9)]])
        let once = try store.query("SELECT count(*) FROM pageHeat WHERE setName = 'p' AND accesses = 1")
        #expect(once.rows == [[.integer(1)]])
        let since = try store.query("""
            SELECT virtualAddress FROM pageHeat WHERE setName = 'p'
            AND lastGeneration > (SELECT generation FROM snapshotList WHERE setName = 'p' AND snapshot = 'warm')
            """)
        #expect(since.rows == [[.text("0x0000000000402000")]])
    }
}
