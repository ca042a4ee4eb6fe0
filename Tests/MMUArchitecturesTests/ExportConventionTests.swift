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
        let format = try #require(PageTableFormat(named: "riscv-sv39"))
        let set = try TranslationSet(entries: [MMUEntry(VirtualAddress(0x1000), to: PhysicalAddress(0x8000_0000), protection: .read)])
        #expect(throws: ImageError.unsupportedConvention("linux", format: "riscv-sv39")) {
            _ = try format.makeTable(for: set).image().following(.linux, entries: set.entries)
        }
    }
}
