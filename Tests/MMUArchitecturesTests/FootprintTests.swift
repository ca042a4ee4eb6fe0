import MMUArchitectures
import MMUCore
import Testing

struct FootprintTests {
    @Test func radixLevelsCountPagesAndFill() throws {
        let format = try #require(PageTableFormat(named: "x86_64-4level"))
        let entries = (0..<512).map { index in
            MMUEntry(VirtualAddress(0x40_0000 + UInt64(index) << 12), to: PhysicalAddress(0x100_0000 + UInt64(index) << 12), protection: .read)
        }
        let footprint = try format.makeTable(for: try TranslationSet(entries: entries)).footprint
        #expect(footprint.levels.map(\.name) == ["PML4", "PDPT", "PD", "PT"])
        #expect(footprint.levels.map(\.tablePages) == [1, 1, 1, 1])
        #expect(footprint.levels.map(\.usedSlots) == [1, 1, 1, 512])
        #expect(footprint.byteCount == 4 * 4096)
        #expect(footprint.fillRatio == 515.0 / 2048.0)
        #expect(footprint.loadFactor == nil)
        #expect(footprint.entries == 512)
    }

    @Test func foldedLevelsAreNotTables() throws {
        let entry = MMUEntry(VirtualAddress(0x1000), to: PhysicalAddress(0x10_0000), protection: .read)
        let set = try TranslationSet(entries: [entry])
        let i386 = try #require(PageTableFormat(named: "i386")).makeTable(for: set).footprint
        #expect(i386.levels.map(\.name) == ["PD", "PT"])
        #expect(i386.levels.map(\.slots) == [1024, 1024])
        let pae = try #require(PageTableFormat(named: "i386-pae")).makeTable(for: set).footprint
        // The PDPT has 4 entries but takes a whole page.
        #expect(pae.levels.map(\.slots) == [4, 512, 512])
        let aarch64 = try #require(PageTableFormat(named: "aarch64-4k-39")).makeTable(for: set).footprint
        // Two roots (TTBR0 and TTBR1), each an L1 table.
        #expect(aarch64.levels.map(\.name) == ["L1", "L2", "L3"])
        #expect(aarch64.levels.map(\.tablePages) == [2, 1, 1])
    }

    @Test(arguments: ["ia64-vhpt-long", "ia64-vhpt-short", "ppc64-hpt"])
    func hashedTablesReportLoadAndProbes(name: String) throws {
        let format = try #require(PageTableFormat(named: name))
        let entries = (0..<3000).map { index in
            MMUEntry(VirtualAddress(0x100_0000 + UInt64(index) << 12), to: PhysicalAddress(0x4000_0000 + UInt64(index) << 12), protection: .read)
        }
        let footprint = try format.makeTable(for: try TranslationSet(entries: entries)).footprint
        let load = try #require(footprint.loadFactor)
        #expect(load > 0 && load <= 1)
        #expect(try #require(footprint.averageProbes) >= 1)
        #expect(try #require(footprint.maximumProbes) >= 1)
        #expect(footprint.entries == 3000)
        #expect(footprint.tablePages > 0)
    }
}
