import MMUCore
import Testing

struct TranslationSetCollectionTests {
    let kernel = VirtualAddress(0xffff_8000_0000_0000)

    func range(_ start: UInt64, _ byteCount: UInt64) throws -> VirtualRange {
        try VirtualRange(start: VirtualAddress(start), byteCount: byteCount)
    }

    @Test func copiesARangeFromAnotherSetInMemory() throws {
        var sets = TranslationSetCollection()
        try sets.createSet(named: "parent")
        try sets.createSet(named: "child")
        try sets.update(set: "parent") { tx in
            try tx.map(VirtualAddress(0x20_0000), to: PhysicalAddress(0x4000_0000), size: .size2MiB, protection: [.read, .write])
            try tx.map(VirtualAddress(0x1000), to: PhysicalAddress(0x9000), protection: .read)
            try tx.recordAccess(at: VirtualAddress(0x1000), write: true)
        }
        try sets.update(set: "child") { tx in
            try tx.copy(try range(0x1000, 0x1000), fromSetNamed: "parent")
            try tx.copy(try range(0x20_0000, 0x2000), fromSetNamed: "parent", largePages: .demote)
        }
        let child = try sets.set(named: "child")
        #expect(child.entries.map(\.virtualAddress) == [VirtualAddress(0x1000), VirtualAddress(0x20_0000), VirtualAddress(0x20_1000)])
        #expect(child.entries.allSatisfy { $0.attributes.intersection(.accessState).isEmpty })
        #expect(child.translate(VirtualAddress(0x20_1abc)) == PhysicalAddress(0x4000_1abc))
        #expect(try sets.set(named: "parent").count == 2)
        #expect(throws: MappingError.unknownSet("nope")) {
            try sets.update(set: "child") { tx in try tx.copy(try range(0, 0x1000), fromSetNamed: "nope") }
        }
    }

    @Test func globalEntriesAreSharedAndRefusedOverAnotherSetsPrivateEntry() throws {
        var sets = TranslationSetCollection()
        try sets.createSet(named: "a")
        try sets.createSet(named: "b")
        try sets.update(set: "b") { tx in try tx.map(VirtualAddress(0x7000), to: PhysicalAddress(0x7000), protection: .read) }
        try sets.update(set: "a") { tx in
            try tx.map(kernel, to: PhysicalAddress(0x10_0000), protection: [.read, .write], attributes: .global)
        }
        #expect(try sets.set(named: "b").entry(containing: kernel)?.isGlobal == true)
        #expect(sets.globalEntries.map(\.virtualAddress) == [kernel])
        let before = sets
        let global = MMUEntry(VirtualAddress(0x7000), to: PhysicalAddress(0x9000), protection: .read, attributes: .global)
        #expect(throws: MappingError.globalConflict(global, set: "b")) {
            try sets.update(set: "a") { tx in try tx.map(global) }
        }
        #expect(sets == before)
        try sets.update(set: "b") { tx in try tx.unmap(try VirtualRange(start: kernel, byteCount: 0x1000)) }
        #expect(sets.globalEntries.isEmpty)
        #expect(try sets.set(named: "a").isEmpty)
    }

    @Test func aDuplicateIsAForkThatSharesOnlyTheGlobalEntries() throws {
        var sets = TranslationSetCollection()
        try sets.createSet(named: "parent", architecture: .x86_64FourLevel)
        try sets.update(set: "parent") { tx in
            try tx.map(VirtualAddress(0x1000), to: PhysicalAddress(0x9000), protection: [.read, .write, .user])
            try tx.map(kernel, to: PhysicalAddress(0x10_0000), protection: .read, attributes: .global)
            try tx.recordAccess(at: VirtualAddress(0x1000), write: true)
        }
        try sets.duplicateSet(named: "parent", as: "child")
        let child = try sets.set(named: "child")
        #expect(child.entries == (try sets.set(named: "parent")).entries)
        #expect(child.architecture == .x86_64FourLevel)
        #expect(child.pageActivity.isEmpty)
        try sets.update(set: "child") { tx in try tx.unmap(try range(0x1000, 0x1000)) }
        #expect(try sets.set(named: "parent").count == 2)
        #expect(try sets.set(named: "child").entries.map(\.virtualAddress) == [kernel])
        #expect(throws: MappingError.setExists("child")) { try sets.duplicateSet(named: "parent", as: "child") }
        #expect(throws: MappingError.unknownSet("nope")) { try sets.duplicateSet(named: "nope", as: "other") }
        #expect(throws: MappingError.setExists("parent")) { try sets.createSet(named: "parent") }
        try sets.renameSet(named: "child", to: "fork")
        #expect(sets.names == ["fork", "parent"])
        #expect(throws: MappingError.setExists("parent")) { try sets.renameSet(named: "fork", to: "parent") }
        try sets.deleteSet(named: "fork")
        #expect(sets.names == ["parent"])
        #expect(throws: MappingError.unknownSet("fork")) { try sets.deleteSet(named: "fork") }
    }

    @Test func aFailedTransactionChangesNoSetAndNoGlobalEntry() throws {
        var sets = TranslationSetCollection()
        try sets.createSet(named: "a")
        try sets.update(set: "a") { tx in try tx.map(VirtualAddress(0x1000), to: PhysicalAddress(0x1000), protection: .read) }
        let before = sets
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try sets.update(set: "a") { tx in
                try tx.map(kernel, to: PhysicalAddress(0x10_0000), protection: .read, attributes: .global)
                try tx.unmap(try range(0x1000, 0x1000))
                throw Stop()
            }
        }
        #expect(sets == before)
        #expect(throws: MappingError.overlap(
            MMUEntry(kernel, to: PhysicalAddress(0x20_0000), protection: .read), existing: MMUEntry(kernel, to: PhysicalAddress(0x10_0000), protection: .read, attributes: .global))
        ) {
            try sets.update(set: "a") { tx in
                try tx.map(kernel, to: PhysicalAddress(0x10_0000), protection: .read, attributes: .global)
                try tx.map(kernel, to: PhysicalAddress(0x20_0000), protection: .read)
            }
        }
        #expect(sets == before)
    }

    @Test func aLoneSetHasNoOtherSetToCopyFrom() throws {
        var set = TranslationSet()
        #expect(throws: MappingError.unknownSet("other")) {
            try set.update { tx in try tx.copy(try range(0, 0x1000), fromSetNamed: "other") }
        }
    }
}
