import Foundation
import MMUCore
import Testing

@testable import MMUStore

/// Group commit: each write in a group is its own transaction (generation, log row), but the
/// group's writes become durable, and visible to readers, only at each group commit.
struct GroupCommitTests {
    static func page(_ number: UInt64) -> MMUEntry {
        MMUEntry(VirtualAddress(pageNumber: number), to: PhysicalAddress(frameNumber: number), protection: [.read, .user])
    }

    @Test func everyGroupIsCommittedWholeAndAcknowledgedAfterItsCommit() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let other = try TranslationStore(path: fixture.path)
        var acknowledged: [Int] = []
        var seenByReaders: [Int] = []
        try store.groupingCommits(every: 3, onDurable: { acknowledged.append($0) }) { grouped in
            for index in 0..<7 {
                try grouped.update(set: "s", label: "tx \(index)", creating: .init()) { tx in try tx.map(Self.page(UInt64(index))) }
                // Another connection sees only what a group commit made durable.
                seenByReaders.append(try other.log().count)
            }
        }
        #expect(acknowledged == [3, 6, 7])
        #expect(seenByReaders == [0, 0, 3, 3, 3, 6, 6])
        let log = try store.log(of: "s")
        #expect(log.map(\.generation) == Array(0..<7))
        #expect(log.map(\.label) == (0..<7).map { "tx \($0)" })
        #expect(try fixture.store.check().isSound)
    }

    @Test func aRefusedTransactionLeavesTheOthersOfItsGroup() throws {
        let fixture = try StoreFixture()
        try fixture.store.groupingCommits(every: 10) { grouped in
            try grouped.update(set: "s", creating: .init()) { tx in try tx.map(Self.page(1)) }
            #expect(throws: StoreError.self) {
                try grouped.update(set: "s") { tx in
                    try tx.map(Self.page(2))
                    try tx.map(Self.page(1))
                }
            }
            try grouped.update(set: "s") { tx in try tx.map(Self.page(3)) }
        }
        #expect(try fixture.store.translationSet(named: "s").entries.map(\.pageNumber) == [1, 3])
        #expect(try fixture.store.log(of: "s").map(\.generation) == [0, 1])
    }

    @Test func aFailingBodyCommitsTheTransactionsItCompleted() throws {
        struct Stop: Error {}
        let fixture = try StoreFixture()
        var acknowledged: [Int] = []
        #expect(throws: Stop.self) {
            try fixture.store.groupingCommits(every: 10, onDurable: { acknowledged.append($0) }) { grouped in
                try grouped.update(set: "s", creating: .init()) { tx in try tx.map(Self.page(1)) }
                try grouped.update(set: "s") { tx in try tx.map(Self.page(2)) }
                throw Stop()
            }
        }
        #expect(acknowledged == [2])
        #expect(try fixture.store.translationSet(named: "s").entries.count == 2)
        #expect(throws: StoreError.self) { try fixture.store.groupingCommits(every: 0) { _ in } }
    }
}
