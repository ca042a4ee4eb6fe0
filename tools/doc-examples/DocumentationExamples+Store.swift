import MMUCore
import MMUStore

extension DocumentationExamples {
    /// Sources/MMUStore/MMUStore.docc/MMUStore.md.
    static func mmuStore() throws {
        // example mmustore begins
        let store = try TranslationStore(path: "run.sqlite", creatingIfMissing: true)
        try store.createSet(named: "proc-42", architecture: .x86_64FourLevel)
        let commit = try store.update(set: "proc-42", label: "exec") { tx in
            try tx.map(VirtualAddress(0x40_0000), to: PhysicalAddress(0x1000), protection: [.read, .execute, .user])
        }
        try store.createSnapshot(named: "after-exec", of: "proc-42")
        let difference = try store.difference(of: "proc-42", from: .snapshot("after-exec"), to: .head)
        // example ends
        print("generation \(commit.generation), difference \(difference)")
    }
}
