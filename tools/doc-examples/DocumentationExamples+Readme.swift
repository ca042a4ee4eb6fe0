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
}
