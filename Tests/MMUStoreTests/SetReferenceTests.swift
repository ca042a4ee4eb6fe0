import Foundation
import MMUCore
import MMUStore
import Testing

struct SetReferenceTests {
    @Test(arguments: [
        ("p", nil, "p", TranslationStore.Version.head),
        ("p@7", nil, "p", .generation(7)),
        ("p@before-exec", nil, "p", .snapshot("before-exec")),
        ("runs/old.sqlite:p@3", "runs/old.sqlite", "p", .generation(3)),
        ("C:/x:p", "C:/x", "p", .head),
    ] as [(String, String?, String, TranslationStore.Version)])
    func parsesFileSetAndVersion(text: String, file: String?, set: String, version: TranslationStore.Version) throws {
        let reference = try SetReference(parsing: text)
        #expect(reference == SetReference(file: file, set: set, version: version))
        #expect(reference.description == text)
    }

    @Test func refusesAMissingSetOrVersionWithTheSpellingThatWorks() {
        #expect(throws: SetReference.ParseError.noSetName) { try SetReference(parsing: "") }
        #expect(throws: SetReference.ParseError.noSetName) { try SetReference(parsing: "old.sqlite:@2") }
        #expect(throws: SetReference.ParseError.nothingAfterAt(set: "p")) { try SetReference(parsing: "p@") }
        #expect(SetReference.ParseError.nothingAfterAt(set: "p").description
            == "nothing after '@': write p for the head, p@SNAPSHOT or p@GENERATION")
    }

    @Test func comparesVersionsWithinAFileAndAcrossFiles() throws {
        let own = try StoreFixture()
        let otherPath = own.directory.appendingPathComponent("other.sqlite").path
        let otherSet: TranslationSet
        do {
            // Another run's file, closed (and so checkpointed) before it is read as foreign.
            let other = try TranslationStore(path: otherPath, creatingIfMissing: true)
            try other.createSet(named: "p")
            try other.update(set: "p") { tx in try tx.map(VirtualAddress(0x1000), to: PhysicalAddress(0x9000), protection: .read) }
            otherSet = try other.translationSet(named: "p")
        }
        try own.store.createSet(named: "p")
        try own.store.update(set: "p") { tx in try tx.map(VirtualAddress(0x1000), to: PhysicalAddress(0x1000), protection: .read) }
        try own.store.update(set: "p") { tx in try tx.map(VirtualAddress(0x2000), to: PhysicalAddress(0x2000), protection: .read) }

        let within = try TranslationStore.difference(
            from: SetReference(set: "p", version: .generation(0)), to: SetReference(set: "p"), defaultPath: own.path)
        #expect(within == (try own.store.difference(of: "p", from: .generation(0), to: .head)))
        #expect(within.changes.count == 1)

        let across = try TranslationStore.difference(
            from: SetReference(file: otherPath, set: "p"), to: SetReference(set: "p"), defaultPath: own.path)
        #expect(across == (try own.store.translationSet(named: "p")).difference(from: otherSet))
        #expect(!across.isEmpty)

        #expect(throws: StoreError.self) {
            try TranslationStore.difference(from: SetReference(set: "nope"), to: SetReference(set: "p"), defaultPath: own.path)
        }
    }
}
