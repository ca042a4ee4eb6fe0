import Foundation
import MMUCore
import Testing

@testable import MMUStore

/// `recordActivity(_:)` writes what the `recordAccess` and `recordFault` calls it stands for
/// write, one call at a time: the same counters, access bits, digests and log counts (the
/// state digests, which hash the set's id, are checked against the rows by `check`).
struct ActivityBatchTests {
    /// Seeded counts over 4 KiB pages and a 2 MiB page, some pages only faulted (unmapped).
    static func counts(seed: UInt64) -> [UInt64: AccessCounts] {
        var generator = seed
        func next(_ bound: UInt64) -> UInt64 {
            generator = generator &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (generator >> 33) % bound
        }
        var counts: [UInt64: AccessCounts] = [:]
        for _ in 0..<300 {
            let page = [0x100 + next(200), 0x400 + next(512), 0x9000 + next(3)][Int(next(3))]
            counts[page, default: AccessCounts()].reads += next(3)
            counts[page, default: AccessCounts()].writes += next(2)
            counts[page, default: AccessCounts()].faults += next(4) == 0 ? 1 : 0
        }
        return counts.filter { !$0.value.isEmpty && ($0.value.reads + $0.value.writes == 0 || $0.key < 0x9000) }
    }

    static func populate(_ store: TranslationStore, _ name: String) throws {
        try store.update(set: name, creating: .init()) { tx in
            try tx.map(contentsOf: (0x100..<0x300).map { MMUEntry(VirtualAddress(pageNumber: $0), to: PhysicalAddress(frameNumber: $0), protection: [.read, .write, .user]) })
            try tx.map(MMUEntry(VirtualAddress(pageNumber: 0x400), to: PhysicalAddress(frameNumber: 0x800), size: .size2MiB, protection: [.read, .write, .user]))
        }
    }

    /// What `counts` stands for, one call at a time, in the order the replay made them.
    static func oneByOne(_ counts: [UInt64: AccessCounts], _ tx: TranslationSet.Transaction) throws {
        for page in counts.keys.sorted() {
            let count = counts[page] ?? AccessCounts()
            if count.reads > 0 { try tx.recordAccess(at: VirtualAddress(pageNumber: page), write: false, count: count.reads) }
            if count.writes > 0 { try tx.recordAccess(at: VirtualAddress(pageNumber: page), write: true, count: count.writes) }
        }
        for page in counts.keys.sorted() where (counts[page]?.faults ?? 0) > 0 {
            try tx.recordFault(at: VirtualAddress(pageNumber: page), count: counts[page]?.faults ?? 0)
        }
    }

    static func state(of name: String, _ store: TranslationStore) throws -> [String] {
        let queries = [
            "SELECT vpn, accesses, writes, faults, firstGeneration, lastGeneration FROM pageHeat WHERE setName = '\(name)' ORDER BY vpn",
            "SELECT vpn, accessed, dirty FROM liveEntry WHERE setName = '\(name)' ORDER BY vpn",
            "SELECT headGeneration, headDigest FROM translationSet WHERE name = '\(name)'",
            "SELECT l.label, l.maps, l.accesses, l.entriesAdded, l.digest FROM transactionLog l JOIN translationSet t ON t.id = l.setId WHERE t.name = '\(name)' ORDER BY l.sequence",
        ]
        return try queries.map { "\(try store.query($0).rows)" }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func aBatchRecordsWhatItsCallsRecord(seed: UInt64) throws {
        let fixture = try StoreFixture()
        for name in ["calls", "batch"] { try Self.populate(fixture.store, name) }
        for round in 0..<2 {
            let counts = Self.counts(seed: seed * 10 + UInt64(round))
            try fixture.store.update(set: "calls", label: "round \(round)") { tx in try Self.oneByOne(counts, tx) }
            try fixture.store.update(set: "batch", label: "round \(round)") { tx in try tx.recordActivity(counts) }
        }
        let batch = try Self.state(of: "batch", fixture.store), calls = try Self.state(of: "calls", fixture.store)
        for (found, expected) in zip(batch, calls) { #expect(found == expected) }
        #expect(try fixture.store.check().isSound)
    }

    @Test func aBatchWithAnUnmappedAccessOrAnEmptyPageRecordsNothing() throws {
        let fixture = try StoreFixture()
        try Self.populate(fixture.store, "set")
        let before = try Self.state(of: "set", fixture.store)
        let unmapped = #expect(throws: StoreError.self) {
            try fixture.store.update(set: "set") { tx in
                try tx.recordActivity([0x100: AccessCounts(reads: 1), 0x9001: AccessCounts(writes: 1), 0x9002: AccessCounts(reads: 1)])
            }
        }
        #expect(unmapped?.cause as? MappingError == .notMapped(VirtualAddress(pageNumber: 0x9001)))
        let empty = #expect(throws: StoreError.self) {
            try fixture.store.update(set: "set") { tx in try tx.recordActivity([0x100: AccessCounts(reads: 1), 0x101: AccessCounts()]) }
        }
        #expect(empty?.cause as? MappingError == .zeroCount(VirtualAddress(pageNumber: 0x101)))
        #expect(try Self.state(of: "set", fixture.store) == before)
    }
}
