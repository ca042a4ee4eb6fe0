import MMUArchitectures
import MMUCore
import MMUOperations
import MMUStore
import Testing

struct TableBuildTests {
    @Test func aRebuiltTableTranslatesEveryPageOfTheVersionItWasBuiltFrom() throws {
        let store = try TranslationStore.inMemory()
        try store.createSet(named: "p", architecture: .x86_64FourLevel)
        try store.map((0..<64).map { MMUEntry(VirtualAddress(0x40_0000 + $0 << 12), to: PhysicalAddress(0x100_0000 + $0 << 12), protection: [.read, .write, .user]) }, into: "p")
        try store.update(set: "p") { tx in
            try tx.map(VirtualAddress(0xffff_8000_0000_0000), to: PhysicalAddress(0x20_0000), size: .size2MiB, protection: .read, attributes: .global)
        }
        try store.createSnapshot(named: "then", of: "p")
        try store.update(set: "p") { tx in try tx.unmap(try VirtualRange(start: VirtualAddress(0x40_0000), byteCount: 0x8000)) }
        for format in [PageTableFormat.all[0], PageTableFormat(named: "riscv-sv48"), PageTableFormat(named: "aarch64-4k-48")].compactMap({ $0 }) {
            let then = try store.translationSet(named: "p", at: .snapshot("then"))
            let table = try store.build(set: "p", at: .snapshot("then"), format: format)
            #expect(table.entryCount == then.count)
            for entry in then.entries {
                let result = table.translate(entry.virtualAddress, access: .read, privilege: .kernel)
                #expect(result.translation?.physicalAddress == entry.physicalAddress, "\(format.name) \(entry)")
            }
            let now = try store.build(set: "p", format: format)
            #expect(now.translate(VirtualAddress(0x40_0000), access: .read, privilege: .kernel).fault?.kind == .notPresent)
        }
        #expect(throws: PageTableError.self) { try store.build(set: "p", format: PageTableFormat(.i386)) }
    }
}
