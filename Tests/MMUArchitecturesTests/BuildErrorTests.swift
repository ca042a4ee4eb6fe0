import MMUArchitectures
import MMUCore
import Testing

/// Entries a format cannot hold fail the build with one error listing every culprit, unless
/// splitting is allowed (and possible).
struct BuildErrorTests {
    func format(_ name: String) throws -> PageTableFormat { try #require(PageTableFormat(named: name)) }

    func rejected(_ name: String, _ entries: [MMUEntry], split: Bool = false) throws -> [RejectedEntry] {
        let set = try TranslationSet(entries: entries)
        let format = try format(name)
        do {
            _ = try format.makeTable(for: set, options: BuildOptions(splitsUnsupportedPages: split))
            return []
        } catch {
            guard case .unrepresentable(let list, let formatName) = error else {
                Issue.record("unexpected error \(error)")
                return []
            }
            #expect(formatName == name)
            return list
        }
    }

    let small = MMUEntry(VirtualAddress(0x40_0000), to: PhysicalAddress(0x10_0000), size: .size64KiB, protection: .read)

    @Test func unsupportedPageSizeIsListedThenSplit() throws {
        let other = MMUEntry(VirtualAddress(0x80_0000), to: PhysicalAddress(0x20_0000), size: .size8KiB, protection: .read)
        let list = try rejected("x86_64-4level", [small, other])
        #expect(list == [RejectedEntry(small, .unsupportedPageSize), RejectedEntry(other, .unsupportedPageSize)])
        let table = try format("x86_64-4level").makeTable(
            for: try TranslationSet(entries: [small, other]), options: BuildOptions(splitsUnsupportedPages: true))
        #expect(table.entryCount == 16 + 2)
        #expect(try table.entries().allSatisfy { $0.size == .size4KiB })
        #expect(table.translate(VirtualAddress(0x40_f123), access: .read, privilege: .kernel).translation?.physicalAddress
            == PhysicalAddress(0x10_f123))
    }

    @Test func largerThanEverySizeSplitsIntoTheLargest() throws {
        let huge = MMUEntry(VirtualAddress(0x1_0000_0000), to: PhysicalAddress(0x1_0000_0000), size: .size4GiB, protection: .read)
        #expect(try rejected("x86_64-4level", [huge]) == [RejectedEntry(huge, .unsupportedPageSize)])
        let table = try format("x86_64-4level").makeTable(
            for: try TranslationSet(entries: [huge]), options: BuildOptions(splitsUnsupportedPages: true))
        #expect(try table.entries().map(\.size) == [PageSize](repeating: .size1GiB, count: 4))
    }

    @Test func physicalAddressTooWide() throws {
        let wide = MMUEntry(VirtualAddress(0x40_0000), to: PhysicalAddress(1 << 48), protection: .read)
        #expect(try rejected("aarch64-4k-48", [wide], split: true) == [RejectedEntry(wide, .frameBeyondPhysicalWidth(bits: 48))])
        // i386: 4 KiB frames need 32 bits, 4 MiB frames reach 40 bits (PSE-36/40).
        let high4K = MMUEntry(VirtualAddress(0x40_0000), to: PhysicalAddress(1 << 32), protection: .read)
        let high4M = MMUEntry(VirtualAddress(0x80_0000), to: PhysicalAddress(1 << 36), size: .size4MiB, protection: .read)
        let tooHigh4M = MMUEntry(VirtualAddress(0xC0_0000), to: PhysicalAddress(1 << 40), size: .size4MiB, protection: .read)
        #expect(
            try rejected("i386", [high4K, high4M, tooHigh4M]) == [
                RejectedEntry(high4K, .frameBeyondPhysicalWidth(bits: 32)), RejectedEntry(tooHigh4M, .frameBeyondPhysicalWidth(bits: 40)),
            ])
    }

    @Test func nonCanonicalStaysAnErrorWhenSplitting() throws {
        let hole = MMUEntry(VirtualAddress(0x0000_8000_0000_0000), to: PhysicalAddress(0x1000), protection: .read)
        let beyond39 = MMUEntry(VirtualAddress(0x40_0000_0000), to: PhysicalAddress(0x40_0000), size: .size4MiB, protection: .read)
        #expect(try rejected("x86_64-4level", [hole]) == [RejectedEntry(hole, .nonCanonical)])
        #expect(try rejected("x86_64-4level", [hole], split: true) == [RejectedEntry(hole, .nonCanonical)])
        #expect(try rejected("riscv-sv39", [beyond39], split: true) == [RejectedEntry(beyond39, .nonCanonical)])
        let gap = MMUEntry(VirtualAddress(0x0001_0000_0000_0000), to: PhysicalAddress(0x1000), protection: .read)
        #expect(try rejected("aarch64-4k-48", [gap], split: true) == [RejectedEntry(gap, .nonCanonical)])
        let unimplemented = MMUEntry(VirtualAddress(0x0010_0000_0000_0000), to: PhysicalAddress(0x1000), protection: .read)
        #expect(try rejected("ia64-vhpt-long", [unimplemented], split: true) == [RejectedEntry(unimplemented, .nonCanonical)])
    }

    @Test func ia64RegionRuleAndItsSplit() throws {
        let fourK = MMUEntry(VirtualAddress(0x1000), to: PhysicalAddress(0x1000), protection: .read)
        let sixteenK = MMUEntry(VirtualAddress(0x10_0000), to: PhysicalAddress(0x10_0000), size: .size16KiB, protection: .read)
        let otherRegion = MMUEntry(
            VirtualAddress(0x2000_0000_0010_0000), to: PhysicalAddress(0x20_0000), size: .size16KiB, protection: .read)
        let list = try rejected("ia64-vhpt-short", [fourK, sixteenK, otherRegion])
        #expect(list == [RejectedEntry(sixteenK, .regionPageSizeConflict(region: 0, sizes: [.size4KiB, .size16KiB]))])
        let table = try format("ia64-vhpt-short").makeTable(
            for: try TranslationSet(entries: [fourK, sixteenK, otherRegion]), options: BuildOptions(splitsUnsupportedPages: true))
        #expect(try table.entries().map(\.size) == [.size4KiB, .size4KiB, .size4KiB, .size4KiB, .size4KiB, .size16KiB])
        #expect(table.image().manifest.registers["rr0"] == "0x31")  // rid 0, ps 12, ve
        // The long format has no such rule: the region's preferred size is its smallest.
        #expect(try rejected("ia64-vhpt-long", [fourK, sixteenK, otherRegion]).isEmpty)
        // Pages inside the short format's linear-table window cannot be mapped at all.
        let window = MMUEntry(VirtualAddress(0x1FFF_FC00_0000_0000), to: PhysicalAddress(0x1000), protection: .read)
        #expect(try rejected("ia64-vhpt-short", [window], split: true) == [RejectedEntry(window, .insideLinearTableWindow)])
    }

    @Test func ppcSegmentRuleAndItsSplit() throws {
        let fourK = MMUEntry(VirtualAddress(0x1000_0000), to: PhysicalAddress(0x1000), protection: .read)
        let sixtyFourK = MMUEntry(VirtualAddress(0x1001_0000), to: PhysicalAddress(0x1_0000), size: .size64KiB, protection: .read)
        let list = try rejected("ppc64-hpt", [fourK, sixtyFourK])
        #expect(list == [RejectedEntry(sixtyFourK, .segmentPageSizeConflict(segment: 1, sizes: [.size4KiB, .size64KiB]))])
        let table = try format("ppc64-hpt").makeTable(
            for: try TranslationSet(entries: [fourK, sixtyFourK]), options: BuildOptions(splitsUnsupportedPages: true))
        #expect(table.entryCount == 17)
        #expect(table.image().manifest.segments?.map(\.pageSize) == [4096])
    }

    @Test func oneErrorListsEveryOffender() throws {
        let entries = (0..<50).map { index in
            MMUEntry(VirtualAddress(UInt64(index) << 16), to: PhysicalAddress(UInt64(index) << 16), size: .size64KiB, protection: .read)
        }
        let list = try rejected("riscv-sv48", entries)
        #expect(list.count == 50)
        let error = PageTableError.unrepresentable(list, format: "riscv-sv48")
        #expect(error.description.hasPrefix("50 entries cannot be encoded as riscv-sv48"))
    }
}
