import Foundation
import MMUArchitectures
import MMUCore

extension DocumentationExamples {
    /// Sources/MMUArchitectures/MMUArchitectures.docc/MMUArchitectures.md, with the set, the
    /// address, the transaction's changes and the directory it leaves to its reader.
    static func mmuArchitectures() throws {
        let code = MMUEntry(VirtualAddress(0x40_0000), to: PhysicalAddress(0x1000), protection: [.read, .execute, .user])
        let heap = MMUEntry(VirtualAddress(0x60_0000), to: PhysicalAddress(0x2000), protection: [.read, .write, .user])
        let set = try TranslationSet(entries: [code], architecture: .x86_64FourLevel)
        let address = heap.virtualAddress
        let removed = [code], added = [heap]
        let directory = URL(fileURLWithPath: "x86_64-image")
        // example mmuarchitectures begins
        guard let format = PageTableFormat(named: "x86_64-4level") else { return }
        var table = try format.makeTable(for: set)
        let result = table.translate(address, access: .write, privilege: .user)
        try table.apply(removing: removed, adding: added)     // after a committed transaction
        try table.image().write(to: directory)                 // manifest.json + sparse memory.img
        let back = try PageTableImage.readSet(from: directory) // canonical entries again
        // example ends
        print("before the transaction: \(result); read back: \(back.entries)")
    }
}
