import Foundation
import MMUArchitectures
import MMUCore
import Testing

/// Export format: sparse memory image at physical offsets, manifest fields, and typed errors
/// for malformed manifests and images.
struct ImageTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-image-\(UUID())")

    func export(_ name: String, _ entries: [MMUEntry]) throws -> (any HardwarePageTable, ImageManifest) {
        let format = try #require(PageTableFormat(named: name))
        let table = try format.makeTable(for: try TranslationSet(entries: entries))
        let image = table.image()
        try image.write(to: directory)
        return (table, image.manifest)
    }

    var memoryPath: String { directory.appendingPathComponent(PageTableImage.memoryName).path }
    var manifestURL: URL { directory.appendingPathComponent(PageTableImage.manifestName) }

    func readError() -> ImageError? {
        do {
            _ = try PageTableImage.readSet(from: directory)
            return nil
        } catch {
            return error
        }
    }

    func editManifest(_ change: (inout [String: Any]) -> Void) throws {
        let parsed = try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL))
        var object = try #require(parsed as? [String: Any])
        change(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: manifestURL)
    }

    func writeWord(_ value: UInt64, at offset: UInt64) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: memoryPath))
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: withUnsafeBytes(of: value.littleEndian) { Data($0) })
        try handle.close()
    }

    func readWord(at offset: UInt64) throws -> UInt64 {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: memoryPath))
        try handle.seek(toOffset: offset)
        let read = try handle.read(upToCount: 8)
        let data = try #require(read)
        try handle.close()
        return data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    }

    /// Sixteen 1 GiB pages over physical 0–16 GiB push the tables above 16 GiB.
    var lowMemoryMapped: [MMUEntry] {
        (0..<16).map { index in
            MMUEntry(
                VirtualAddress(0xFFFF_8000_0000_0000 + UInt64(index) << 30), to: PhysicalAddress(UInt64(index) << 30),
                size: .size1GiB, protection: [.read, .write])
        } + [MMUEntry(VirtualAddress(0x40_0000), to: PhysicalAddress(0x1000), protection: [.read, .user])]
    }

    @Test func memoryImageIsSparseWithPagesAtTheirPhysicalOffsets() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (table, manifest) = try export("x86_64-4level", lowMemoryMapped)
        let pages = manifest.tablePages.compactMap { UInt64($0.dropFirst(2), radix: 16) }
        #expect(try pages.count == table.footprint.tablePages)
        #expect(pages.allSatisfy { $0 >= 16 << 30 }, "tables avoid every mapped frame: \(manifest.tablePages)")
        var status = stat()
        #expect(stat(memoryPath, &status) == 0)
        #expect(UInt64(status.st_size) == (pages.max() ?? 0) + 4096)
        #expect(Int(status.st_blocks) * 512 <= 64 * 4096, "allocated \(status.st_blocks * 512) bytes: holes were filled")
        // The root page sits at CR3: PML4[256] and PML4[0] point at other listed table pages.
        let root = try #require(manifest.root["cr3"])
        let cr3 = try #require(UInt64(root.dropFirst(2), radix: 16))
        for index: UInt64 in [0, 256] {
            let entry = try readWord(at: cr3 + index * 8)
            #expect(entry & 0xFFF == 0x27)
            #expect(pages.contains(entry & 0x000F_FFFF_FFFF_F000))
        }
        #expect(manifest.format == "x86_64-4level")
        #expect(manifest.entries == 17)
        #expect(manifest.byteOrder == "little")
        #expect(Set(manifest.registers.keys) == ["cr0", "cr4", "efer", "pat"])
        #expect(try PageTableImage.readSet(from: directory).entries == lowMemoryMapped.map(table.format.normalized).sorted {
            $0.virtualAddress < $1.virtualAddress
        })
    }

    @Test func tablesNeverGoAboveTheExt4Limit() throws {
        let format = try #require(PageTableFormat(named: "x86_64-4level"))
        let entries = [MMUEntry(VirtualAddress(0x40_0000), to: PhysicalAddress(0), size: .size2MiB, protection: .read)]
        #expect(throws: PageTableError.noFreePhysicalRange(pages: 3, below: PhysicalAddress(0x20_0000))) {
            _ = try format.makeTable(for: try TranslationSet(entries: entries), options: BuildOptions(tablePlacementLimit: 0x20_0000))
        }
    }

    @Test func missingAndMalformedManifests() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try export("riscv-sv39", [MMUEntry(VirtualAddress(0x1000), to: PhysicalAddress(0x8000_0000), protection: .read)])
        let saved = try Data(contentsOf: manifestURL)
        try "{ not json".write(to: manifestURL, atomically: true, encoding: .utf8)
        guard case .malformedManifest = readError() else { Issue.record("expected malformedManifest"); return }
        try saved.write(to: manifestURL)
        try editManifest { $0["format"] = "riscv-sv64" }
        #expect(readError() == .unknownFormat("riscv-sv64"))
        try saved.write(to: manifestURL)
        // SUM = 0 (Linux's habit) is accepted; MXR = 1 is not, nor a missing sstatus.
        try editManifest { $0["registers"] = ["sstatus": "0x0"] }
        #expect(try PageTableImage.readSet(from: directory).count == 1)
        try editManifest { $0["registers"] = ["sstatus": "0xc0000"] }
        #expect(readError() == .unsupportedRegisterValue(name: "sstatus", value: 0xC0000))
        try editManifest { $0["registers"] = [String: String]() }
        #expect(readError() == .missingRegister("sstatus"))
        try saved.write(to: manifestURL)
        try editManifest { $0["entries"] = 7 }
        #expect(readError() == .entryCountMismatch(manifest: 7, found: 1))
        try saved.write(to: manifestURL)
        try editManifest { $0["root"] = ["satp": "0x9000000000000000"] }
        #expect(readError() == .unsupportedRegisterValue(name: "satp", value: 0x9000_0000_0000_0000))
        try FileManager.default.removeItem(at: manifestURL)
        guard case .unreadable = readError() else { Issue.record("expected unreadable"); return }
    }

    @Test func truncatedImagesAndPointersOutsideTheTables() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (_, manifest) = try export("x86_64-4level", lowMemoryMapped)
        let pages = manifest.tablePages
        // Dropping a listed page leaves a pointer to it dangling.
        let dropped = try #require(pages.last)
        try editManifest { $0["tablePages"] = Array(pages.dropLast()) }
        guard case .tablePointerOutsideTables(_, let target) = readError() else { Issue.record("expected a dangling pointer"); return }
        #expect("0x" + String(target.rawValue, radix: 16) == dropped)
        try editManifest { $0["tablePages"] = pages }
        // A listed page beyond the end of the file.
        let highest = try #require(pages.compactMap { UInt64($0.dropFirst(2), radix: 16) }.max())
        #expect(truncate(memoryPath, off_t(highest)) == 0)
        #expect(readError() == .truncatedImage(pageAddress: PhysicalAddress(highest), imageBytes: highest))
    }

    /// Every count of the manifest is checked against what memory.img holds before anything is
    /// allocated: more listed pages than the file has room for is refused, naming the count and
    /// the sizes (a huge sparse image is the command-line test's).
    @Test func moreTablePagesThanTheImageHoldsAreRefusedByCount() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (_, manifest) = try export("x86_64-4level", [MMUEntry(VirtualAddress(0x40_0000), to: PhysicalAddress(0x1000), protection: [.read, .user])])
        let extra = (0..<64).map { "0x" + String(UInt64(0x100_0000 + $0 << 12), radix: 16) }
        try editManifest { $0["tablePages"] = manifest.tablePages + extra }
        let size = try #require(try FileManager.default.attributesOfItem(atPath: memoryPath)[.size] as? NSNumber).uint64Value
        guard case .tooManyTablePages(let count, let bytes, _) = readError() else { Issue.record("expected tooManyTablePages, got \(String(describing: readError()))"); return }
        #expect(count == manifest.tablePages.count + 64)
        #expect(bytes == size)
        #expect(readError()?.description.contains("lists \(count) table pages") == true)
    }

    @Test func loopsSharedTablesAndReservedBits() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (_, manifest) = try export("x86_64-4level", lowMemoryMapped)
        let root = try #require(manifest.root["cr3"])
        let cr3 = try #require(UInt64(root.dropFirst(2), radix: 16))
        // PML4[5] -> the PML4 itself: a loop.
        try writeWord(cr3 | 0x27, at: cr3 + 5 * 8)
        #expect(readError() == .tableLoop(PhysicalAddress(cr3)))
        // PML4[5] -> the PDPT PML4[0] already points at: a shared table.
        let pdpt = try readWord(at: cr3) & 0x000F_FFFF_FFFF_F000
        try writeWord(pdpt | 0x27, at: cr3 + 5 * 8)
        #expect(readError() == .sharedTable(PhysicalAddress(pdpt)))
        // PS set in a PML4 entry is reserved.
        try writeWord(0x83, at: cr3 + 5 * 8)
        #expect(readError() == .malformedEntry(entryAddress: PhysicalAddress(cr3 + 40), bits: 0x83))
    }

    @Test func hashedImagesNeedTheirParameters() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try export("ia64-vhpt-long", [MMUEntry(VirtualAddress(0x4000), to: PhysicalAddress(0x1_0000), protection: .read)])
        let saved = try Data(contentsOf: manifestURL)
        try editManifest { $0["parameters"] = ["hash": "itanium2"] }
        #expect(readError() == .malformedManifest("unknown VHPT hash function 'itanium2'"))
        try saved.write(to: manifestURL)
        try editManifest { manifest in
            var registers = manifest["registers"] as? [String: String] ?? [:]
            registers["rr0"] = nil
            manifest["registers"] = registers
        }
        #expect(readError() == .missingRegister("rr0"))
        try FileManager.default.removeItem(at: directory)
        _ = try export("ppc64-hpt", [MMUEntry(VirtualAddress(0x1000_0000), to: PhysicalAddress(0x1000), protection: .read)])
        try editManifest { $0["segments"] = nil }
        #expect(readError() == .missingRegister("segments"))
    }
}
