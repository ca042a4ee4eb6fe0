import MMUArchitectures
import MMUCore
import Testing

/// Exact entry bits for hand-derived entries. Each expected value is assembled from the bit
/// positions of reference/HARDWARE-FORMATS.md; the comment names the row each bit comes from.
struct GoldenEntryTests {
    /// The encoded entries of a one-set table at `level` (leaves and pointers alike).
    func encoded(_ name: String, _ entries: [MMUEntry]) throws -> [EncodedEntry] {
        let format = try #require(PageTableFormat(named: name))
        return try format.makeTable(for: try TranslationSet(entries: entries)).encodedEntries()
    }

    func bits(_ encoded: [EncodedEntry], at address: UInt64, level: Int) -> [UInt64]? {
        encoded.first { $0.virtualAddress.rawValue == address && $0.level == level }?.bits
    }

    @Test func x86FourLevel() throws {
        let entries = [
            MMUEntry(VirtualAddress(0x40_0000), to: PhysicalAddress(0x1234_5000), protection: [.read, .write, .user]),
            MMUEntry(
                VirtualAddress(0xFFFF_8000_0020_0000), to: PhysicalAddress(0x4000_0000), size: .size2MiB,
                protection: [.read, .execute], attributes: [.global, .dirty], cacheMode: .uncached),
            MMUEntry(
                VirtualAddress(0x4000_0000), to: PhysicalAddress(0x8000_0000), size: .size1GiB, protection: [.read, .write],
                cacheMode: .writeCombining),
        ]
        let table = try encoded("x86_64-4level", entries)
        // §1 Entry format: P bit 0, R/W 1, U/S 2, A 5, address 12+, XD 63 (not executable).
        #expect(bits(table, at: 0x40_0000, level: 3) == [0x8000_0000_1234_5027])
        // P, PWT 3 + PCD 4 (PAT index 3 = UC under the manifest's PAT), A, D 6, PS 7, G 8; XD clear.
        #expect(bits(table, at: 0xFFFF_8000_0020_0000, level: 2) == [0x0000_0000_4000_01F9])
        // PDPTE with PS 7: P, R/W, PCD 4 (PAT index 2 = WC), A, PS, XD.
        #expect(bits(table, at: 0x4000_0000, level: 1) == [0x8000_0000_8000_00B3])
        // Non-leaf entries: P | R/W | U/S | A, XD = 0 (address cleared for comparison).
        #expect(bits(table, at: 0, level: 0) == [0x27])
        #expect(bits(table, at: 0xFFFF_8000_0000_0000, level: 0) == [0x27])
    }

    @Test func x86FiveLevel() throws {
        let entry = MMUEntry(
            VirtualAddress(0x0001_0000_0000_1000), to: PhysicalAddress(0x5000), protection: [.read, .write, .execute, .user],
            attributes: .dirty, cacheMode: .writeThrough)
        let table = try encoded("x86_64-5level", [entry])
        // VA bit 48 set (non-canonical with 4 levels): PML5 index 1 (§1 "PML5 (LA57 only) [56:48]").
        #expect(bits(table, at: 0x0001_0000_0000_0000, level: 0) == [0x27])
        // P, R/W, U/S, PWT 3 (PAT index 1 = WT), A, D; XD clear.
        #expect(bits(table, at: 0x0001_0000_0000_1000, level: 4) == [0x506F])
    }

    @Test func i386() throws {
        let entries = [
            MMUEntry(VirtualAddress(0x0804_8000), to: PhysicalAddress(0x0010_0000), protection: [.read, .user]),
            MMUEntry(
                VirtualAddress(0xC000_0000), to: PhysicalAddress(0x1_0040_0000), size: .size4MiB, protection: [.read, .write],
                attributes: .global),
        ]
        let table = try encoded("i386", entries)
        // §2a PTE: P, U/S, A, [31:12] frame; 4-byte entry, no XD.
        #expect(bits(table, at: 0x0804_8000, level: 1) == [0x0010_0025])
        // §2a 4 MiB PDE: P, R/W, A, PS 7, G 8, [20:13] = PA[39:32] = 1, [31:22] = PA[31:22].
        #expect(bits(table, at: 0xC000_0000, level: 0) == [0x0040_21A3])
        // PDE pointing to a PT: P | R/W | U/S | A.
        #expect(bits(table, at: 0x0800_0000, level: 0) == [0x27])
    }

    @Test func i386PAE() throws {
        let entry = MMUEntry(VirtualAddress(0xC020_0000), to: PhysicalAddress(0x2_0000_0000), size: .size2MiB, protection: .read)
        let table = try encoded("i386-pae", [entry])
        // §2b PDPTE: only P (and PWT/PCD/address); R/W, U/S, A are reserved there.
        #expect(bits(table, at: 0xC000_0000, level: 0) == [0x1])
        // §2b PDE with PS: P, A, PS 7, address, XD 63.
        #expect(bits(table, at: 0xC020_0000, level: 1) == [0x8000_0002_0000_00A1])
    }

    @Test func aarch64() throws {
        let entries = [
            MMUEntry(VirtualAddress(0x40_0000), to: PhysicalAddress(0x1234_5000), protection: [.read, .write, .user]),
            MMUEntry(
                VirtualAddress(0xFFFF_0000_0020_0000), to: PhysicalAddress(0x4000_0000), size: .size2MiB,
                protection: [.read, .execute], attributes: [.global, .dirty], cacheMode: .uncached),
        ]
        let table = try encoded("aarch64-4k-48", entries)
        // §3 page: bits[1:0] = 11, AttrIndx 0, AP[1] 6 (EL0), SH 9:8 = 11, AF 10, nG 11, PXN 53, UXN 54.
        #expect(bits(table, at: 0x40_0000, level: 3) == [0x0060_0000_1234_5F43])
        // §3 L2 block: bits[1:0] = 01, AttrIndx 3 (Device), AP[2] 7 (read-only), SH, AF, nG = 0
        // (global), PXN = 0, UXN 54 (kernel page), software dirty bit 55.
        #expect(bits(table, at: 0xFFFF_0000_0020_0000, level: 2) == [0x00C0_0000_4000_078D])
        // Table descriptors: bits[1:0] = 11, APTable/XNTable 0.
        #expect(bits(table, at: 0, level: 0) == [0x3])
        #expect(bits(table, at: 0xFFFF_0000_0000_0000, level: 0) == [0x3])
    }

    @Test func riscv() throws {
        let entries = [
            MMUEntry(VirtualAddress(0x1000), to: PhysicalAddress(0x8020_0000), protection: [.read, .write, .user], attributes: .dirty),
            MMUEntry(
                VirtualAddress(0x20_0000), to: PhysicalAddress(0x4000_0000), size: .size2MiB, protection: .execute,
                attributes: .global, cacheMode: .uncached),
        ]
        let table = try encoded("riscv-sv39", entries)
        // §4 PTE: V 0, R 1, W 2, U 4, A 6, D 7, PPN at bit 10 (the 0x…d7 of EMULATOR-ORACLE §5).
        #expect(bits(table, at: 0x1000, level: 2) == [0x2008_00D7])
        // Megapage: V, X 3, G 5, A, PPN, PBMT 62:61 = 2 (IO) for uncached.
        #expect(bits(table, at: 0x20_0000, level: 1) == [0x4000_0000_1000_0069])
        // Non-leaf: V only (R = W = X = U = A = D = 0).
        #expect(bits(table, at: 0, level: 0) == [0x1])
    }

    @Test func ia64LongFormat() throws {
        let entry = MMUEntry(
            VirtualAddress(0x2000_0000_0000_4000), to: PhysicalAddress(0x1_0000_0000), size: .size16KiB,
            protection: [.read, .write, .user], attributes: .dirty)
        let table = try encoded("ia64-vhpt-long", [entry])
        // §5 PTE: p 0, ma 0 (WB), a 5, d 6, pl 8:7 = 3, ar 11:9 = 2 (RW), ppn 49:12.
        // ITIR: ps 7:2 = 14. Tag (Ski): hpn 1 XOR (rid 1 << 39).
        #expect(bits(table, at: 0x2000_0000_0000_4000, level: 0) == [0x1_0000_05E1, 0x38, 0x80_0000_0001])
    }

    @Test func ia64ShortFormat() throws {
        let format = try #require(PageTableFormat(named: "ia64-vhpt-short"))
        let entry = MMUEntry(
            VirtualAddress(0x2000_0000_0000_4000), to: PhysicalAddress(0x1_0000_0000), size: .size16KiB,
            protection: [.read, .write, .user], attributes: .dirty)
        let table = try format.makeTable(for: try TranslationSet(entries: [entry]))
        #expect(try table.encodedEntries().map(\.bits) == [[0x1_0000_05E1]])
        let manifest = table.image().manifest
        // RR1: rid 1 << 8 | ps 14 << 2 | ve; PTA: base 2^61 − 2^42 | size 42 << 2 | ve.
        #expect(manifest.registers["rr1"] == "0x139")
        #expect(manifest.root["pta"] == "0x1ffffc00000000a9")
        // The PTE of hpn 1 sits at window + 8 in region 1's table page.
        #expect(manifest.tableMappings?.map(\.virtual) == ["0x3ffffc0000000000"])
    }

    @Test func ppc64() throws {
        let entry = MMUEntry(VirtualAddress(0x1000_0000), to: PhysicalAddress(0x2000_0000), protection: [.read, .write, .user])
        let table = try encoded("ppc64-hpt", [entry])
        // §6 dword 0: AVPN = (VSID 12538073 = 0xBF50D9 ‖ EA[27:23]) at bit 7, V; (H cleared for comparison).
        // Dword 1: RPN, R 8, WIMG = M (bit 4), N 2 (no execute), PP = 2 (user RW with Kp = 1).
        #expect(bits(table, at: 0x1000_0000, level: 0) == [0xB_F50D_9001, 0x2000_0116])
    }

    @Test func controlRegistersInManifests() throws {
        let empty = TranslationSet()
        func registers(_ name: String) throws -> [String: String] {
            try #require(PageTableFormat(named: name)).makeTable(for: empty).image().manifest.registers
        }
        // CR0 = PE | WP 16 | PG 31; CR4 = PAE 5 | PGE 7 (+ LA57 12); EFER = LME | LMA | NXE 11.
        #expect(try registers("x86_64-4level") == ["cr0": "0x80010001", "cr4": "0xa0", "efer": "0xd00", "pat": "0x1040600010406"])
        #expect(try registers("x86_64-5level")["cr4"] == "0x10a0")
        // i386: CR4.PSE 4 | PGE, no NXE.
        #expect(try registers("i386")["cr4"] == "0x90")
        // TCR_EL1: T0SZ = T1SZ = 16, IRGN/ORGN 01, SH 11, TG0 00, TG1 10, IPS 101.
        #expect(try registers("aarch64-4k-48")["tcr_el1"] == "0x5b5103510")
        #expect(try registers("aarch64-4k-48")["mair_el1"] == "0x44bbff")
        // sstatus.SUM (bit 18).
        #expect(try registers("riscv-sv39") == ["sstatus": "0x40000"])
    }
}
