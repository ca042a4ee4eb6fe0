import MMUCore
import MMUStore
import Testing

/// The operations that involve several sets, run once against a store and once against an
/// in-memory ``TranslationSetCollection``: each scenario must end in the same views and the
/// same refusals on both.
struct BothEnginesTests {
    /// Where a scenario runs.
    enum Engine: String, CaseIterable, CustomTestStringConvertible {
        case store, memory

        var testDescription: String { rawValue }

        func make() throws -> any SetEngine {
            switch self {
            case .store: try StoreEngine()
            case .memory: MemoryEngine()
            }
        }
    }

    let kernel = VirtualAddress(0xffff_8000_0000_0000)

    func range(_ start: UInt64, _ byteCount: UInt64) throws -> VirtualRange {
        try VirtualRange(start: VirtualAddress(start), byteCount: byteCount)
    }

    @Test(arguments: Engine.allCases)
    func copyBetweenSets(engine: Engine) throws {
        let sets = try engine.make()
        try sets.createSet("parent")
        try sets.createSet("child")
        try sets.update("parent") { tx in
            try tx.map(VirtualAddress(0x20_0000), to: PhysicalAddress(0x4000_0000), size: .size2MiB, protection: [.read, .write])
            try tx.map(VirtualAddress(0x1000), to: PhysicalAddress(0x9000), protection: .read)
        }
        try sets.update("child") { tx in
            try tx.copy(try range(0x1000, 0x1000), fromSetNamed: "parent")
            try tx.copy(try range(0x20_0000, 0x2000), fromSetNamed: "parent", largePages: .demote)
        }
        #expect(try sets.view("child").entries == [
            MMUEntry(VirtualAddress(0x1000), to: PhysicalAddress(0x9000), protection: .read),
            MMUEntry(VirtualAddress(0x20_0000), to: PhysicalAddress(0x4000_0000), protection: [.read, .write]),
            MMUEntry(VirtualAddress(0x20_1000), to: PhysicalAddress(0x4000_1000), protection: [.read, .write]),
        ])
        #expect(try sets.refusal { try sets.update("child") { tx in try tx.copy(try range(0, 0x1000), fromSetNamed: "nope") } }
            == .unknownSet("nope"))
        #expect(try sets.refusal {
            try sets.update("child") { tx in try tx.copy(try range(0x20_0000, 0x1000), fromSetNamed: "parent", replacing: false) }
        } == .cutsLargePage(MMUEntry(VirtualAddress(0x20_0000), to: PhysicalAddress(0x4000_0000), size: .size2MiB, protection: [.read, .write]), try range(0x20_0000, 0x1000)))
    }

    @Test(arguments: Engine.allCases)
    func globalEntries(engine: Engine) throws {
        let sets = try engine.make()
        try sets.createSet("a")
        try sets.createSet("b")
        try sets.update("b") { tx in try tx.map(VirtualAddress(0x7000), to: PhysicalAddress(0x7000), protection: .read) }
        try sets.update("a") { tx in
            try tx.map(kernel, to: PhysicalAddress(0x10_0000), protection: [.read, .write], attributes: .global)
        }
        let global = MMUEntry(kernel, to: PhysicalAddress(0x10_0000), protection: [.read, .write], attributes: .global)
        #expect(try sets.view("b").entries.last == global)
        #expect(try sets.view("a").entries == [global])
        let conflicting = MMUEntry(VirtualAddress(0x7000), to: PhysicalAddress(0x9000), protection: .read, attributes: .global)
        #expect(try sets.refusal { try sets.update("a") { tx in try tx.map(conflicting) } } == .globalConflict(conflicting, set: "b"))
        try sets.update("b") { tx in try tx.makeGlobal(try range(0x7000, 0x1000)) }
        #expect(try sets.view("a").entries.map(\.virtualAddress) == [VirtualAddress(0x7000), kernel])
        try sets.update("a") { tx in try tx.unmap(try VirtualRange(start: kernel, byteCount: 0x1000)) }
        #expect(try sets.view("b").entries.map(\.virtualAddress) == [VirtualAddress(0x7000)])
    }

    @Test(arguments: Engine.allCases)
    func duplication(engine: Engine) throws {
        let sets = try engine.make()
        try sets.createSet("parent")
        try sets.update("parent") { tx in
            try tx.map(VirtualAddress(0x1000), to: PhysicalAddress(0x9000), protection: [.read, .write, .user])
            try tx.map(kernel, to: PhysicalAddress(0x10_0000), protection: .read, attributes: .global)
            try tx.recordAccess(at: VirtualAddress(0x1000), write: true)
        }
        try sets.duplicate("parent", as: "child")
        #expect(try sets.view("child").entries == sets.view("parent").entries)
        #expect(try sets.view("child").entries.first?.attributes == [.accessed, .dirty])
        try sets.update("child") { tx in try tx.unmap(try range(0x1000, 0x1000)) }
        #expect(try sets.view("parent").count == 2)
        #expect(try sets.view("child").entries.map(\.virtualAddress) == [kernel])
    }
}

/// What the scenarios need of an engine.
protocol SetEngine {
    func createSet(_ name: String) throws
    func duplicate(_ name: String, as newName: String) throws
    func update(_ name: String, _ body: (TranslationSet.Transaction) throws -> Void) throws
    func view(_ name: String) throws -> TranslationSet
}

extension SetEngine {
    /// The mapping error `body` is refused with, whichever engine reports it; `nil` when it
    /// succeeds or fails otherwise.
    func refusal(_ body: () throws -> Void) throws -> MappingError? {
        do {
            try body()
            return nil
        } catch let error as MappingError {
            return error
        } catch let error as StoreError {
            return error.cause as? MappingError
        }
    }
}

/// A store in a temporary directory.
final class StoreEngine: SetEngine {
    let fixture: StoreFixture

    init() throws { fixture = try StoreFixture() }

    func createSet(_ name: String) throws { try fixture.store.createSet(named: name) }
    func duplicate(_ name: String, as newName: String) throws { try fixture.store.duplicateSet(named: name, as: newName) }
    func update(_ name: String, _ body: (TranslationSet.Transaction) throws -> Void) throws {
        try fixture.store.update(set: name, body)
    }
    func view(_ name: String) throws -> TranslationSet { try fixture.store.translationSet(named: name) }
}

/// An in-memory collection.
final class MemoryEngine: SetEngine {
    var sets = TranslationSetCollection()

    func createSet(_ name: String) throws { try sets.createSet(named: name) }
    func duplicate(_ name: String, as newName: String) throws { try sets.duplicateSet(named: name, as: newName) }
    func update(_ name: String, _ body: (TranslationSet.Transaction) throws -> Void) throws { try sets.update(set: name, body) }
    func view(_ name: String) throws -> TranslationSet { try sets.set(named: name) }
}
