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
            let history = model.history(of: name)
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
        #expect(plans.count == 4)
        #expect(plans[0].contains("mmuEntryDeath"), "\(plans)")
        #expect(plans[1].contains("mmuEntryBirth"), "\(plans)")
        #expect(plans[2].contains("memoryAreaDeath"), "\(plans)")
        #expect(plans[3].contains("memoryAreaBirth"), "\(plans)")
    }

    /// A diff between two late generations visits as many area rows with 400 generations of
    /// area history behind it as with 20: it reads the rows that changed, not the history.
    @Test func aDiffReadsOnlyTheAreaRowsThatChanged() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let areas = (0..<UInt64(40)).map {
            MemoryArea(range: VirtualRange(pages: (0x1000 + $0 * 16)..<(0x1000 + $0 * 16 + 8)), protection: .read, kind: .file, name: "/lib/\($0).so")
        }
        var steps: [Int] = []
        for (name, history) in [("short", 20), ("long", 400)] {
            try store.createSet(named: name)
            try store.update(set: name) { tx in try tx.replaceAreas(in: VirtualRange(pages: 0..<VirtualRange.pageLimit), with: areas) }
            for round in 0..<history {
                try store.update(set: name) { tx in
                    var area = areas[round % areas.count]
                    area.protection = round % 2 == 0 ? [.read, .write] : .read
                    try tx.replaceAreas(in: area.range, with: [area])
                }
            }
            var changed = areas[7]
            changed.name = "/lib/7.so (deleted)"
            try store.update(set: name) { tx in try tx.replaceAreas(in: changed.range, with: [changed]) }
            let head = try store.set(named: name).headGeneration
            let difference = try store.difference(of: name, from: .generation(head - 1), to: .generation(head))
            #expect(difference.areaChanges.map(\.kinds) == [.renamed], "\(name)")
            steps.append(try store.areaDifferenceSteps(of: name, from: head - 1, to: head))
        }
        #expect(steps[0] == steps[1], "area rows visited: \(steps) for 20 and 400 generations of history")
    }

    /// The same random area replacements (with entry operations between them) in the store and
    /// in memory: the store's indexed diff between any two generations equals the in-memory one.
    @Test(arguments: PropertySeeds.all.prefix(3))
    func indexedAreaDiffsEqualTheInMemoryDifference(seed: UInt64) throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        try store.createSet(named: "p")
        var areas = RandomAreas(seed: seed)
        var operations = RandomOperations(seed: seed)
        var set = TranslationSet()
        var history: [TranslationSet] = []
        for _ in 0..<40 {
            var replacements: [(VirtualRange, [MemoryArea])] = []
            let batch = (0..<2).map { _ in operations.next() }
            try set.update { tx in
                for _ in 0..<2 {
                    let (range, replacement) = try areas.next(in: tx)
                    try tx.replaceAreas(in: range, with: replacement)
                    replacements.append((range, replacement))
                }
                for operation in batch { try? operation.apply(to: tx) }
            }
            try store.update(set: "p") { tx in
                for (range, replacement) in replacements { try tx.replaceAreas(in: range, with: replacement) }
                for operation in batch { try? operation.apply(to: tx) }
            }
            history.append(set)
        }
        #expect(try store.translationSet(named: "p").areas == set.areas)
        var generator = SplitMix64(seed: seed)
        var areaRows = 0
        for _ in 0..<80 {
            let a = Int(generator.next() % UInt64(history.count)), b = Int(generator.next() % UInt64(history.count))
            let stored = try store.difference(of: "p", from: .generation(Int64(a)), to: .generation(Int64(b)))
            #expect(stored == history[b].difference(from: history[a]), "seed \(seed): p \(a) -> \(b)")
            areaRows += stored.areaChanges.count
            let entriesOnly = try store.difference(of: "p", from: .generation(Int64(a)), to: .generation(Int64(b)), ignoringAreas: true)
            #expect(entriesOnly.areaChanges.isEmpty && entriesOnly.changes == stored.changes)
        }
        #expect(areaRows > 0, "seed \(seed): the random histories change areas")
        try store.createSet(named: "q")
        try store.update(set: "q") { tx in try tx.replaceAreas(in: VirtualRange(pages: 0..<VirtualRange.pageLimit), with: history[5].areas) }
        let across = try store.translationSet(named: "p").difference(from: try store.translationSet(named: "q"))
        #expect(across.areaChanges == set.difference(from: history[5]).areaChanges)
    }

    /// The planted faults: area rows changed behind the store's back between two generations (a
    /// row marked dead, a row born without a transaction) are reported by the indexed diff.
    @Test func areaRowsEditedBehindTheStoresBackAreReported() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        try store.createSet(named: "p")
        let stack = MemoryArea(range: VirtualRange(pages: 0x7ff00..<0x7ff10), protection: [.read, .write], kind: .stack, name: "[stack]")
        try store.update(set: "p") { tx in try tx.replaceAreas(in: stack.range, with: [stack]) }
        try store.map([MMUEntry(VirtualAddress(0x40_0000), to: PhysicalAddress(0x1000), protection: .read)], into: "p")
        try store.map([MMUEntry(VirtualAddress(0x40_1000), to: PhysicalAddress(0x2000), protection: .read)], into: "p")
        #expect(try store.difference(of: "p", from: .generation(1), to: .generation(2)).areaChanges.isEmpty)
        try store.writer.write { db in
            try db.execute(sql: "UPDATE memoryArea SET died = 2 WHERE vpn = ? AND died IS NULL", arguments: [0x7ff00])
            try db.execute(sql: """
                INSERT INTO memoryArea (setId, vpn, born, pageCount, protection, kind, isShared, name)
                SELECT setId, 4096, 2, 2, 5, 'file', 1, '/planted' FROM memoryArea WHERE vpn = ?
                """, arguments: [0x7ff00])
        }
        let difference = try store.difference(of: "p", from: .generation(1), to: .generation(2))
        #expect(difference.changes.map(\.kinds) == [.added])
        #expect(difference.areaChanges.map(\.kinds) == [.added, .removed])
        #expect(difference.areaChanges.first?.new?.name == "/planted" && difference.areaChanges.last?.old == stack)
        #expect(difference == (try store.translationSet(named: "p", at: .generation(2))).difference(from: try store.translationSet(named: "p", at: .generation(1))))
    }
}
