import MMUCore
import MMUStore

extension DocumentationExamples {
    /// README.md, "The library": run twice in one directory, it adds a generation each time.
    static func readmeLibrary() throws {
        // example readme-library begins
        let store = try TranslationStore(path: "run.sqlite", creatingIfMissing: true)
        if try !store.sets().contains(where: { $0.name == "proc-42" }) {
            try store.createSet(named: "proc-42", architecture: .x86_64FourLevel)
        }
        let commit = try store.update(set: "proc-42", label: "brk grows") { tx in
            try tx.map(VirtualAddress(0x60_0000), to: PhysicalAddress(0x4000_0000), size: .size2MiB,
                       protection: [.read, .write, .user], replacing: true)
            try tx.protect(try VirtualRange(start: VirtualAddress(0x60_0000), byteCount: 0x1000),
                           [.read, .user], largePages: .demote)
        }
        print(commit.generation, commit.summary.staleRanges)   // the TLB shootdown list
        try store.createSnapshot(named: "after-brk", of: "proc-42", replacing: true)
        let then = try store.translationSet(named: "proc-42", at: .snapshot("after-brk"))
        // example ends
        print("after-brk: \(then.count) entries")
    }

    /// README.md, "The library": the in-memory engine over several sets.
    static func readmeSets() throws {
        // example readme-sets begins
        var sets = TranslationSetCollection()
        try sets.createSet(named: "parent")
        try sets.createSet(named: "child")
        try sets.update(set: "parent") { tx in
            try tx.map(VirtualAddress(0x40_0000), to: PhysicalAddress(0x1000), protection: [.read, .execute, .user])
            try tx.map(VirtualAddress(0xffff_8000_0000_0000), to: PhysicalAddress(0x20_0000), protection: .read,
                       attributes: .global)   // one entry, seen by every set
        }
        try sets.update(set: "child") { tx in
            try tx.copy(try VirtualRange(start: VirtualAddress(0x40_0000), byteCount: 0x1000), fromSetNamed: "parent")
        }
        try sets.duplicateSet(named: "child", as: "grandchild")
        let grandchild = try sets.set(named: "grandchild")   // the copied page and the global one
        // example ends
        guard grandchild.count == 2 else { throw ExampleError("grandchild has \(grandchild.count) entries, not 2") }
        print("grandchild: \(grandchild.count) entries")
    }
}
