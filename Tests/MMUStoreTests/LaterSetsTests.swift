import Foundation
import MMUCore
import Testing

@testable import MMUStore

/// ``TranslationStore/setsCreated(after:of:)``: the sets whose first transaction came after
/// a generation of another set.
struct LaterSetsTests {
    func map(_ page: UInt64, in set: String, _ store: TranslationStore) throws {
        try store.update(set: set, creating: .init()) { tx in
            try tx.map(VirtualAddress(pageNumber: page), to: PhysicalAddress(frameNumber: page), protection: .read)
        }
    }

    @Test func onlySetsFirstWrittenAfterTheGenerationAreListed() throws {
        let store = try TranslationStore.inMemory()
        try map(1, in: "before", store)
        try map(1, in: "parent", store)
        try store.createSet(named: "empty")
        try map(2, in: "parent", store)
        try map(1, in: "child", store)
        try map(2, in: "before", store)
        try map(1, in: "grandchild", store)
        #expect(try store.setsCreated(after: 0, of: "parent").map(\.name) == ["child", "grandchild"])
        #expect(try store.setsCreated(after: 1, of: "parent").map(\.name) == ["child", "grandchild"])
        #expect(try store.setsCreated(after: 0, of: "child").map(\.name) == ["grandchild"])
        // A set deleted and made again is a new set.
        try store.deleteSet(named: "before")
        try map(3, in: "before", store)
        #expect(try store.setsCreated(after: 0, of: "child").map(\.name) == ["before", "grandchild"])
        for generation: Int64 in [-1, 2] {
            #expect(throws: StoreError.self) { try store.setsCreated(after: generation, of: "parent") }
        }
    }
}
