import Foundation
import MMUArchitectures
import MMUCore
import Testing

/// Images taken under a real system's registers: Linux's values are accepted (bits that do not
/// change translation are ignored), memory types are read through the PAT given, and only what
/// changes translation in a way the model cannot hold is refused, naming the register.
extension ImageTests {
    /// Linux 6.1 under QEMU: CR0 with MP, ET, NE, AM; CR4 with PSE, OSFXSR, OSXMMEXCPT;
    /// EFER with SCE; Linux's PAT.
    static let linuxRegisters = ["cr0": "0x80050033", "cr4": "0x6b0", "efer": "0xd01", "pat": "0x407050600070106"]

    /// One 4 KiB page per cache mode, exported under MMUStore's PAT (PWT and PCD: index 0-3).
    var pagePerCacheMode: [MMUEntry] {
        CacheMode.allCases.enumerated().map { index, mode in
            MMUEntry(VirtualAddress(0x40_0000 + UInt64(index) << 12), to: PhysicalAddress(0x10_0000 + UInt64(index) << 12), protection: [.read, .write], cacheMode: mode)
        }
    }

    @Test func linuxRegistersAreAcceptedAndMemoryTypesReadThroughTheirPAT() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try export("x86_64-4level", pagePerCacheMode)
        try editManifest { $0["registers"] = Self.linuxRegisters }
        let modes = try PageTableImage.readSet(from: directory).entries.map(\.cacheMode)
        // PWT alone is index 1: WC under Linux's PAT; PCD alone is index 2: UC-, uncached.
        #expect(modes == [.writeBack, .writeCombining, .uncached, .uncached])
        // The same image under MMUStore's own PAT reads as exported.
        try editManifest { $0["registers"] = Self.linuxRegisters.merging(["pat": "0x1040600010406"]) { $1 } }
        #expect(try PageTableImage.readSet(from: directory).entries.map(\.cacheMode) == CacheMode.allCases)
    }

    @Test func theLargePagePATBitSelectsTheUpperHalfOfThePAT() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (_, manifest) = try export(
            "x86_64-4level", [MMUEntry(VirtualAddress(0x4000_0000), to: PhysicalAddress(0x20_0000), size: .size2MiB, protection: .read)])
        // PAT entry 4 is WT: with bit 12 (PAT) set in the 2 MiB leaf the page reads write-through.
        try editManifest { $0["registers"] = Self.linuxRegisters.merging(["pat": "0x407050400070106"]) { $1 } }
        let root = try #require(manifest.root["cr3"])
        let cr3 = try #require(UInt64(root.dropFirst(2), radix: 16))
        let pdpt = try readWord(at: cr3) & 0x000F_FFFF_FFFF_F000
        let pd = try readWord(at: pdpt + 8) & 0x000F_FFFF_FFFF_F000
        let leaf = try readWord(at: pd)
        #expect(leaf & 0x80 != 0, "a 2 MiB leaf")
        try writeWord(leaf | 1 << 12, at: pd)
        #expect(try PageTableImage.readSet(from: directory).entries.map(\.cacheMode) == [.writeThrough])
        // PAT entry 4 WP has no cache mode: refused, naming the page.
        try editManifest { $0["registers"] = Self.linuxRegisters.merging(["pat": "0x407050500070106"]) { $1 } }
        #expect(readError() == .unrepresentableMemoryType(virtualAddress: VirtualAddress(0x4000_0000), type: "PAT index 4"))
    }

    /// Each refusal names the register and the bit; the planted value is the only change.
    @Test(arguments: [
        ("cr0", "0x80040033", "CR0.WP"), ("cr0", "0xc0050033", "CR0.CD"), ("cr0", "0x50033", "paging is off"),
        ("cr4", "0x16b0", "CR4.LA57"), ("cr4", "0x4006b0", "CR4.PKE"), ("cr4", "0x10006b0", "CR4.PKS"), ("cr4", "0x690", "CR4.PAE"),
        ("efer", "0x501", "EFER.NXE"), ("efer", "0x801", "EFER.LME"), ("pat", "0x407050600070206", "reserved memory type 2"),
    ])
    func registersThatChangeTranslationAreRefused(name: String, value: String, reason: String) throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try export("x86_64-4level", pagePerCacheMode)
        try editManifest { $0["registers"] = Self.linuxRegisters.merging([name: value]) { $1 } }
        guard case .unsupportedRegister(let refused, let number, let why) = readError() else {
            Issue.record("expected \(name) = \(value) to be refused, got \(String(describing: readError()))")
            return
        }
        #expect(refused == name)
        #expect("0x" + String(number, radix: 16) == value)
        #expect(why.contains(reason), "\(why)")
    }

    /// Bits with no effect on translation: SMEP, SMAP, UMIP, FSGSBASE, PCIDE, OSXSAVE, CET in
    /// CR4; FFXSR and SVME in EFER; a PCID in CR3's low bits.
    @Test func bitsThatDoNotChangeTranslationAreIgnored() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (_, manifest) = try export("x86_64-4level", pagePerCacheMode)
        let cr4: UInt64 = 0x6b0 | 1 << 20 | 1 << 21 | 1 << 11 | 1 << 16 | 1 << 17 | 1 << 18 | 1 << 23
        let root = try #require(manifest.root["cr3"])
        let cr3 = try #require(UInt64(root.dropFirst(2), radix: 16))
        try editManifest {
            $0["registers"] = Self.linuxRegisters.merging(["cr4": "0x" + String(cr4, radix: 16), "efer": "0x5d01"]) { $1 }
            $0["root"] = ["cr3": "0x" + String(cr3 | 0x7A, radix: 16)]
        }
        #expect(try PageTableImage.readSet(from: directory).entries.count == 4)
    }
}
