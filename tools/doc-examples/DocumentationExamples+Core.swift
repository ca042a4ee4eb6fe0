import MMUCore

extension DocumentationExamples {
    /// Sources/MMUCore/MMUCore.docc/MMUCore.md.
    static func mmuCore() throws {
        // example mmucore begins
        var set = TranslationSet(architecture: .x86_64FourLevel)
        let summary = try set.update { tx in
            try tx.map(VirtualAddress(0x40_0000), to: PhysicalAddress(0x1000), protection: [.read, .execute, .user])
            try tx.map(VirtualAddress(0x20_0000), to: PhysicalAddress(0x20_0000), size: .size2MiB,
                       protection: [.read, .write, .user])
            try tx.resize(VirtualAddress(0x20_0000), to: .size4KiB)     // mksize: 512 pages of 4 KiB
        }
        print(summary.staleRanges)   // the TLB shootdown list
        // example ends
        print("\(set.count) entries")
    }
}
