import Foundation
import MMUCore
import MMUTestSupport
import Testing

@testable import MMUStore

struct StoreDifferenceTests {
    @Test(arguments: PropertySeeds.all.prefix(3))
    func indexedDiffsEqualTheModelsDifference(seed: UInt64) throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let model = StoreModel()
        let names = ["alpha", "beta"]
        for name in names {
            try store.createSet(named: name)
            model.createSet(name)
        }
        var generator = SplitMix64(seed: seed)
        var operations = RandomOperations(seed: seed, otherSets: names)
        for _ in 0..<60 {
            let name = names[Int(generator.next() % 2)]
            let batch = (0..<6).map { _ in operations.next() }
            try store.update(set: name) { tx in for operation in batch { try? operation.apply(to: tx) } }
            try model.update(set: name) { tx in for operation in batch { try? operation.apply(to: tx) } }
        }
        for name in names {
            let history = model.sets[name]?.history ?? []
            for _ in 0..<60 {
                let a = Int(generator.next() % UInt64(history.count)), b = Int(generator.next() % UInt64(history.count))
                let ignoringFrames = generator.next() % 4 == 0
                let stored = try store.difference(of: name, from: .generation(Int64(a)), to: .generation(Int64(b)), ignoringFrames: ignoringFrames)
                let expected = history[b].difference(from: history[a], ignoringFrames: ignoringFrames)
                #expect(stored == expected, "seed \(seed): \(name) \(a) -> \(b)")
            }
            let head = try store.difference(of: name, from: .generation(0), to: .head)
            #expect(head == model.view(of: name, accessState: false).difference(from: history[0]))
        }
        let across = try store.translationSet(named: "beta").difference(from: try store.translationSet(named: "alpha"))
        #expect(across == model.view(of: "beta").difference(from: model.view(of: "alpha")))
    }

    @Test func diffsAcrossTwoFilesAreAnOrderedMerge() throws {
        let first = try StoreFixture(), second = try StoreFixture()
        for (fixture, frames) in [(first, UInt64(0)), (second, UInt64(0x1000_0000))] {
            try fixture.store.createSet(named: "run")
            try fixture.store.map((0..<100).map { MMUEntry(VirtualAddress(0x40_0000 + $0 << 12), to: PhysicalAddress(frames + $0 << 12), protection: .read) }, into: "run")
        }
        try second.store.update(set: "run") { tx in try tx.protect(try VirtualRange(start: VirtualAddress(0x40_0000), byteCount: 0x2000), [.read, .write]) }
        let old = try first.store.translationSet(named: "run"), new = try second.store.translationSet(named: "run")
        #expect(new.difference(from: old).changes.map(\.kinds) == [[.remapped, .reprotected], .remapped])
        #expect(new.difference(from: old, ignoringFrames: true).changes.map(\.kinds) == [.reprotected])
    }

    @Test func diffsReadThroughTheGenerationIndexes() throws {
        let fixture = try StoreFixture()
        let plans = try fixture.store.differencePlans()
        #expect(plans.count == 2)
        #expect(plans[0].contains("mmuEntryDeath"), "\(plans)")
        #expect(plans[1].contains("mmuEntryBirth"), "\(plans)")
    }
}
