import MMUArchitectures
import MMUCore
import Testing

/// The cost models against hand-computed cases.
struct TranslationCostTests {
    static func format(_ name: String) throws -> PageTableFormat { try #require(PageTableFormat(named: name)) }

    @Test(arguments: [
        ("x86_64-4level", PageSize.size4KiB, 4.0), ("x86_64-4level", .size2MiB, 3), ("x86_64-4level", .size1GiB, 2),
        ("x86_64-5level", .size4KiB, 5), ("x86_64-5level", .size1GiB, 3),
        ("i386", .size4KiB, 2), ("i386", .size4MiB, 1), ("i386-pae", .size4KiB, 2), ("i386-pae", .size2MiB, 1),
        ("aarch64-4k-48", .size4KiB, 4), ("aarch64-4k-48", .size2MiB, 3), ("aarch64-4k-39", .size4KiB, 3), ("aarch64-4k-39", .size1GiB, 1),
        ("riscv-sv39", .size4KiB, 3), ("riscv-sv48", .size2MiB, 3), ("riscv-sv57", .size4KiB, 5),
    ])
    func radixWalksReadOneEntryPerLevelAboveTheLeaf(name: String, size: PageSize, references: Double) throws {
        #expect(try Self.format(name).walkReferences(for: size, averageProbes: nil) == references)
    }

    @Test func aSizeTheFormatCannotMapHasNoWalk() throws {
        #expect(try Self.format("i386").walkReferences(for: .size2MiB, averageProbes: nil) == nil)
        #expect(try Self.format("ppc64-hpt").walkReferences(for: .size4KiB, averageProbes: 1.5) == 1.5)
    }

    @Test(arguments: [(4.0, 4.0, 24.0), (5, 5, 35), (4, 3, 19), (2, 4, 14), (3, 2, 11), (1, 1, 3)])
    func nestedWalksTranslateEveryGuestReadAndTheResult(guest: Double, host: Double, references: Double) {
        #expect(PageTableFormat.nestedWalkReferences(guest: guest, host: host) == references)
    }

    /// Three 4 KiB pages and one 2 MiB page, one of them global and write-through.
    static func mixedSet() throws -> TranslationSet {
        var entries = (0..<3).map { index in
            MMUEntry(VirtualAddress(0x40_0000 + UInt64(index) << 12), to: PhysicalAddress(0x100_0000 + UInt64(index) << 12), protection: [.read, .write, .user])
        }
        entries.append(MMUEntry(
            VirtualAddress(0x60_0000), to: PhysicalAddress(0x4000_0000), size: .size2MiB, protection: [.read, .write], attributes: .global,
            cacheMode: .writeThrough))
        return try TranslationSet(entries: entries)
    }

    @Test func averagesWeighEachSizeByItsEntries() throws {
        let host = (format: try Self.format("x86_64-4level"), pageSize: PageSize.size4KiB)
        let cost = TranslationCost(of: try Self.mixedSet(), in: try Self.format("x86_64-4level"), host: host)
        #expect(cost.walks.map(\.native) == [4, 3])
        #expect(cost.walks.map(\.nested) == [24, 19])
        #expect(cost.averageNativeReferences == (3 * 4 + 3) / 4.0)
        #expect(cost.averageNestedReferences == (3 * 24 + 19) / 4.0)
        #expect(cost.host == "x86_64-4level 4KiB")
        #expect(cost.footprint?.tablePages == 4)
        #expect(cost.losses.isEmpty)
        // Under a host backing guest memory with 2 MiB pages, each host walk reads 3 entries.
        let large = TranslationCost(of: try Self.mixedSet(), in: try Self.format("x86_64-4level"), host: (host.format, .size2MiB))
        #expect(large.walks.map(\.nested) == [19, 15])
    }

    @Test func entriesAFormatCannotTranslateCountInNoWalk() throws {
        let kernel = MMUEntry(VirtualAddress(0xffff_8000_0000_0000), to: PhysicalAddress(0x8000_0000), protection: [.read, .write])
        let user = MMUEntry(VirtualAddress(0x40_0000), to: PhysicalAddress(0x1000), protection: [.read, .user])
        let cost = TranslationCost(of: try TranslationSet(entries: [user, kernel]), in: try Self.format("i386"))
        #expect(cost.walks.map(\.entries) == [1])
        #expect(cost.averageNativeReferences == 2)
        #expect(cost.losses.map(\.reason).contains("address outside what the format translates"))
        #expect(cost.tlbCoverage == 0.5)
    }

    @Test func reachCountsTheSizesTheFormatMaps() throws {
        let set = try Self.mixedSet()
        let x86 = TranslationCost(of: set, in: try Self.format("x86_64-4level"))
        #expect(x86.tlbReach == 64 * 4096 + 32 * (2 << 20) + 4 * (1 << 30))
        // Every page fits: 3 of 64 small entries, 1 of 32 large ones.
        #expect(x86.tlbCoverage == 1)
        let i386 = TranslationCost(of: set, in: try Self.format("i386"))
        #expect(i386.tlbReach == 64 * 4096)
        #expect(i386.tlbCoverage == Double(3 * 4096) / Double(3 * 4096 + (2 << 20)))
        let small = TranslationCost(of: set, in: try Self.format("x86_64-4level"), tlb: TLBConfiguration(entries: [.size4KiB: 2]))
        #expect(small.tlbReach == 2 * 4096)
        #expect(small.tlbCoverage == Double(2 * 4096) / Double(3 * 4096 + (2 << 20)))
    }

    @Test func lossesNameWhatEachFormatCannotExpress() throws {
        let set = try Self.mixedSet()
        let i386 = TranslationCost(of: set, in: try Self.format("i386")).losses.map { "\($0.reason): \($0.entries)" }
        #expect(i386 == ["page size not mapped (split into smaller pages): 1", "execute right added (no execute-disable bit): 4"])
        let ia64 = TranslationCost(of: set, in: try Self.format("ia64-vhpt-long")).losses.map { "\($0.reason): \($0.entries)" }
        // IA-64 has 1 MiB and 4 MiB pages but no 2 MiB ones.
        #expect(ia64 == [
            "page size not mapped (split into smaller pages): 1", "global bit dropped (no global bit): 1",
            "write-through becomes write-back (no encoding): 1",
        ])
        let riscv = TranslationCost(of: set, in: try Self.format("riscv-sv39")).losses.map { "\($0.reason): \($0.entries)" }
        #expect(riscv == ["write-through becomes write-back (no encoding): 1"])
    }

    @Test func tlbConfigurationsAreReadAsWritten() throws {
        #expect(try TLBConfiguration(parsing: "4K:64,2M:32,1G:4") == .example)
        #expect(TLBConfiguration.example.description == "4KiB:64,2MiB:32,1GiB:4")
        #expect(throws: TLBConfiguration.ParseError.self) { try TLBConfiguration(parsing: "4K=64") }
        #expect(throws: TLBConfiguration.ParseError.self) { try TLBConfiguration(parsing: "4K:64,4K:8") }
        #expect(throws: TLBConfiguration.ParseError.self) { try TLBConfiguration(parsing: "3K:64") }
    }
}
