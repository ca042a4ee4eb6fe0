import Foundation
import MMUArchitectures
import MMUCore
import MMUTestSupport
import Testing

/// `ExportConvention.linux`: tables imported from a kernel's dump export with the kernel's own
/// leaf bits (address, present, rights, accessed, dirty, global, memory type), under Linux's
/// registers.
struct ExportConventionTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-convention-\(UUID())")

    /// The bits of an x86-64 leaf the canonical model covers: the address, P, R/W, U/S, PWT,
    /// PCD, A, D, PS or PAT, G, the large pages' PAT and XD; not the software and key bits.
    static let coveredBits: UInt64 = 0x000F_FFFF_FFFF_F000 | 0x1FF | 1 << 63

    /// The leaf words of an exported image read back, by virtual address.
    static func leafWords(of image: PageTableImage, in directory: URL) throws -> [UInt64: UInt64] {
        try image.write(to: directory)
        let table = try PageTableImage.read(from: directory)
        let last = table.format.name == "x86_64-5level" ? 4 : 3
        var words: [UInt64: UInt64] = [:]
        for encoded in try table.encodedEntries() where encoded.level == last || (encoded.level > 0 && encoded.bits[0] & 0x80 != 0) {
            words[encoded.virtualAddress.rawValue] = encoded.bits[0]
        }
        return words
    }

    @Test func aKernelsLeavesComeBackBitForBitUnderTheLinuxConvention() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let dumpPath = directory.appendingPathComponent("dump").path
        try SyntheticDump.linuxLike().elfCore(cr3: 0x1000).write(to: URL(fileURLWithPath: dumpPath))
        let walk = try PhysicalMemoryDump(openingForReading: dumpPath).walkX86(DumpWalkRequest(pat: 0x0407_0506_0007_0106))
        let set = try TranslationSet(entries: walk.entries)
        let image = try walk.format.makeTable(for: set).image().following(.linux, entries: set.entries)
        #expect(image.manifest.registers == ["cr0": "0x80050033", "cr4": "0x3006b0", "efer": "0xd01", "pat": "0x407050600070106"])
        #expect(image.manifest.parameters["convention"] == "linux")
        let exported = try Self.leafWords(of: image, in: directory.appendingPathComponent("linux"))
        var compared = 0
        for (entry, word) in zip(walk.entries, walk.leafWords) {
            let mine = try #require(exported[entry.virtualAddress.rawValue])
            if entry.virtualAddress.rawValue == 0x40_0000 {
                // Its page directory entry takes R/W away: the canonical entry holds the effective rights.
                #expect(mine & Self.coveredBits == word & Self.coveredBits & ~2)
                continue
            }
            #expect(mine & Self.coveredBits == word & Self.coveredBits, "0x\(String(entry.virtualAddress.rawValue, radix: 16)): 0x\(String(mine, radix: 16)) for the kernel's 0x\(String(word, radix: 16))")
            compared += 1
        }
        #expect(compared == 6)
        // MMUStore's own convention encodes PCD alone differently (write-combining under its PAT).
        let own = try Self.leafWords(of: try walk.format.makeTable(for: set).image(), in: directory.appendingPathComponent("own"))
        #expect(own[0x2000].map { $0 & 0x18 } == 0x18)
    }

    @Test func otherFormatsHaveNoLinuxConvention() throws {
        let format = try #require(PageTableFormat(named: "ppc64-hpt"))
        let set = try TranslationSet(entries: [MMUEntry(VirtualAddress(0x1000), to: PhysicalAddress(0x8000_0000), protection: .read)])
        #expect(throws: ImageError.unsupportedConvention("linux", format: "ppc64-hpt")) {
            _ = try format.makeTable(for: set).image().following(.linux, entries: set.entries)
        }
    }

    /// User and kernel pages of every protection, 4 KiB and 2 MiB, in both halves (the kernel
    /// ones global): user RX is the page MMUStore's own AArch64 export leaves without PXN.
    static func mixedSet(_ format: PageTableFormat) throws -> TranslationSet {
        let kernelBase: UInt64 = 0xFFFF_FFC0_0000_0000
        let protections: [Protection] = [.read, [.read, .write], [.read, .execute], [.read, .write, .execute]]
        var entries: [MMUEntry] = []
        for (index, protection) in protections.enumerated() {
            let page = UInt64(index)
            entries.append(
                MMUEntry(
                    VirtualAddress(0x40_0000 + page << 12), to: PhysicalAddress(0x8010_0000 + page << 12),
                    protection: protection.union(.user), attributes: [.accessed]))
            entries.append(
                MMUEntry(
                    VirtualAddress(0x1000 + page << 12), to: PhysicalAddress(0x8020_0000 + page << 12), protection: protection,
                    attributes: [.accessed]))
            entries.append(
                MMUEntry(
                    VirtualAddress(kernelBase + page << 12), to: PhysicalAddress(0x8030_0000 + page << 12), protection: protection,
                    attributes: [.accessed, .global]))
        }
        entries.append(
            MMUEntry(
                VirtualAddress(0x4000_0000), to: PhysicalAddress(0x8040_0000), size: .size2MiB, protection: [.read, .execute, .user],
                attributes: [.accessed]))
        entries.append(
            MMUEntry(
                VirtualAddress(kernelBase + 0x4000_0000), to: PhysicalAddress(0x8060_0000), size: .size2MiB,
                protection: [.read, .execute], attributes: [.accessed, .global]))
        return try TranslationSet(entries: entries.map(format.normalized).sorted { $0.virtualAddress < $1.virtualAddress })
    }

    /// The leaf descriptors of an AArch64 or RISC-V table, by virtual address.
    static func leafWords(of table: any HardwarePageTable) throws -> [UInt64: UInt64] {
        let isAArch64 = table.format.name.hasPrefix("aarch64")
        let lastLevel = table.format.name == "aarch64-4k-39" || table.format.name == "riscv-sv39" ? 2 : table.format.name == "riscv-sv57" ? 4 : 3
        var words: [UInt64: UInt64] = [:]
        for encoded in try table.encodedEntries() {
            let raw = encoded.bits[0]
            let isLeaf = isAArch64 ? encoded.level == lastLevel || raw & 3 == 1 : raw & 0b1010 != 0
            if isLeaf { words[encoded.virtualAddress.rawValue] = raw }
        }
        return words
    }

    static let linuxFormats = ["aarch64-4k-48", "aarch64-4k-39", "riscv-sv39", "riscv-sv48", "riscv-sv57"]

    /// AArch64: PXN on every leaf EL0 may access and on no other leaf that lacks it by default;
    /// RISC-V: the PTEs unchanged, sstatus Linux's (SUM = 0). Both read back to the same entries
    /// and the same user-mode translations; the default export is unchanged.
    @Test(arguments: linuxFormats)
    func linuxConventionSetsPXNOnUserPagesOrSUMZeroAndReadsBack(name: String) throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let format = try #require(PageTableFormat(named: name))
        let set = try Self.mixedSet(format)
        let own = try format.makeTable(for: set).image()
        let linux = try own.following(.linux, entries: set.entries)
        #expect(linux.manifest.parameters["convention"] == "linux")
        let ownDirectory = directory.appendingPathComponent("own"), linuxDirectory = directory.appendingPathComponent("linux")
        try own.write(to: ownDirectory)
        try linux.write(to: linuxDirectory)
        // The default convention writes exactly what the image was.
        let mmustoreDirectory = directory.appendingPathComponent("mmustore")
        try own.following(.mmustore, entries: set.entries).write(to: mmustoreDirectory)
        for file in [PageTableImage.manifestName, PageTableImage.memoryName] {
            #expect(try Data(contentsOf: mmustoreDirectory.appendingPathComponent(file)) == Data(contentsOf: ownDirectory.appendingPathComponent(file)))
        }

        let ownTable = try PageTableImage.read(from: ownDirectory), linuxTable = try PageTableImage.read(from: linuxDirectory)
        let ownWords = try Self.leafWords(of: ownTable), linuxWords = try Self.leafWords(of: linuxTable)
        #expect(ownWords.count == set.count && linuxWords.count == set.count)
        var gained = 0
        for (address, word) in ownWords {
            let converted = try #require(linuxWords[address])
            if name.hasPrefix("aarch64") {
                let isUser = word & 1 << 6 != 0
                let hex = { (value: UInt64) in "0x" + String(value, radix: 16) }
                #expect(converted == (isUser ? word | 1 << 53 : word), "\(hex(address)): \(hex(converted)) from \(hex(word))")
                if converted != word { gained += 1 }
            } else {
                #expect(converted == word)
            }
        }
        if name.hasPrefix("aarch64") {
            // By default only executable user pages lack PXN: those are the ones that gain it.
            #expect(gained == set.entries.filter { $0.protection.isSuperset(of: [.user, .execute]) }.count)
            #expect(gained == 3)
            #expect(linux.manifest.registers == own.manifest.registers)
        } else {
            #expect(linux.manifest.registers == ["sstatus": "0x200000000"])
        }
        #expect(try PageTableImage.readSet(from: linuxDirectory).entries == set.entries)
        #expect(try PageTableImage.readSet(from: ownDirectory).entries == set.entries)

        // The same translations, but that on AArch64 EL1 no longer executes user pages.
        for entry in set.entries {
            for access in MemoryAccess.allCases {
                for privilege in PrivilegeLevel.allCases {
                    var expected = ownTable.translate(entry.virtualAddress, access: access, privilege: privilege)
                    let result = linuxTable.translate(entry.virtualAddress, access: access, privilege: privilege)
                    if name.hasPrefix("aarch64") && entry.protection.contains(.user), case .mapped(var translation) = expected {
                        if access == .execute && privilege == .kernel {
                            #expect(result.fault?.kind == .protection, "EL1 executes the user page \(entry) under PXN")
                            continue
                        }
                        translation.rights.remove(.kernelExecute)
                        expected = .mapped(translation)
                    }
                    #expect(result == expected, "\(entry) \(access) \(privilege)")
                }
            }
        }
    }
}
