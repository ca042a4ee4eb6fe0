import MMUArchitectures
import MMUCore
import Testing

/// An incremental change that maps a frame a table page sits on moves that page (or, for
/// hashed tables, rebuilds the table elsewhere): no table page ever shares a mapped frame.
struct RelocationTests {
    @Test(arguments: PageTableFormat.all)
    func addedFramesNeverShareTablePages(format: PageTableFormat) throws {
        let base: UInt64 = format.name.hasPrefix("ia64") ? 0x2000_0000_0000_0000 : 0x40_0000
        let entries = (0..<64).map { index in
            MMUEntry(VirtualAddress(base + UInt64(index) << 12), to: PhysicalAddress(0x4000_0000 + UInt64(index) << 12), protection: .read)
        }
        var table = try format.makeTable(for: try TranslationSet(entries: entries))
        let pages = table.image().manifest.tablePages.compactMap { UInt64($0.dropFirst(2), radix: 16) }
        let victims = Array(pages.prefix(3))
        let added = victims.enumerated().map { index, page in
            MMUEntry(VirtualAddress(base + 0x1000_0000 + UInt64(index) << 12), to: PhysicalAddress(page), protection: .read)
        }
        try table.apply(removing: [], adding: added)
        let after = Set(table.image().manifest.tablePages.compactMap { UInt64($0.dropFirst(2), radix: 16) })
        #expect(after.isDisjoint(with: victims), "\(format.name): \(victims) still hold tables")
        let expected = try format.makeTable(for: try TranslationSet(entries: entries + added))
        #expect(try table.encodedEntries() == expected.encodedEntries())
        for entry in added {
            #expect(table.translate(entry.virtualAddress, access: .read, privilege: .kernel).translation?.physicalAddress == entry.physicalAddress)
        }
    }
}
