import MMUArchitectures
import MMUCore
import MMUTestSupport
import Testing

/// A set that declares an architecture refuses in the transaction exactly the single entries
/// its format's export would refuse, so no accepted entry fails later at `mmu export`.
struct ArchitectureAgreementTests {
    /// Aligned single entries that probe each rule's edges: canonical limits, region windows,
    /// physical widths for each page size.
    static func probes(_ format: PageTableFormat, seed: UInt64, count: Int) -> [MMUEntry] {
        var random = SplitMix64(seed: seed)
        let edges: [UInt64] = [
            0, 0x40_0000, 0x1000_0000, 0xC000_0000, 1 << 31, 1 << 32, 1 << 38, 1 << 39, 1 << 47, 1 << 48, 1 << 56, 1 << 57, 1 << 60, 1 << 61,
            (1 << 61) - (1 << 42), (1 << 61) - (1 << 42) - (1 << 32), 1 << 63, 0xffff_8000_0000_0000, 0xffff_ffff_ffff_f000,
        ]
        return (0..<count).map { _ in
            let size = PageSize(shift: 12 + Int(random.next() % 21))!
            let mask = ~(size.byteCount - 1)
            let base = edges[Int(random.next() % UInt64(edges.count))]
            let nudge = (random.next() % 5) &* size.byteCount
            let virtual = (random.next() % 4 == 0 ? random.next() : (random.next() % 2 == 0 ? base &+ nudge : base &- nudge)) & mask
            let physicalBits = 24 + random.next() % 41
            let physical = (physicalBits >= 64 ? random.next() : random.next() % (1 << physicalBits)) & mask
            return MMUEntry(VirtualAddress(virtual), to: PhysicalAddress(physical), size: size, protection: [.read, .user])
        }
    }

    @Test(arguments: PageTableFormat.all)
    func declaredArchitectureRefusesWhatExportRefuses(format: PageTableFormat) {
        var disagreements: [String] = []
        var accepted = 0
        for entry in Self.probes(format, seed: 0x5EED_0A4C, count: 20_000) {
            let core: Bool
            do {
                try format.architecture.check(entry)
                core = true
            } catch {
                core = false
            }
            let export = format.rejections([entry]).isEmpty
            if core { accepted += 1 }
            if core != export, disagreements.count < 5 {
                disagreements.append("\(entry): transaction \(core ? "accepts" : "refuses"), export \(export ? "accepts" : "refuses")")
            }
        }
        #expect(disagreements.isEmpty, "\(format.name): \(disagreements.joined(separator: "; "))")
        #expect(accepted > 100 && accepted < 19_900, "\(format.name): the probes exercise both answers (\(accepted) accepted)")
    }

    @Test func i386LargePagesReachFortyBitFrames() throws {
        var set = TranslationSet(architecture: .i386)
        try set.update { tx in
            try tx.map(VirtualAddress(0x40_0000), to: PhysicalAddress(0x10_0000_0000), size: .size4MiB, protection: .read)
        }
        #expect(throws: MappingError.frameOutOfRange(PhysicalAddress(0x1_0000_0000), architecture: "i386")) {
            try set.update { tx in try tx.map(VirtualAddress(0x80_0000), to: PhysicalAddress(0x1_0000_0000), protection: .read) }
        }
        #expect(throws: MappingError.frameOutOfRange(PhysicalAddress(0x100_0000_0000), architecture: "i386")) {
            try set.update { tx in
                try tx.map(VirtualAddress(0xC0_0000), to: PhysicalAddress(0x100_0000_0000), size: .size4MiB, protection: .read)
            }
        }
    }

    @Test func ia64ShortFormatRefusesItsTableWindow() throws {
        var set = TranslationSet(architecture: .ia64ShortVHPT)
        let window = VirtualAddress((1 << 61) - (1 << 42))
        #expect(throws: MappingError.insideTableWindow(window, architecture: "ia64-vhpt-short")) {
            try set.update { tx in try tx.map(window, to: PhysicalAddress(0), protection: .read) }
        }
        try set.update { tx in try tx.map(VirtualAddress(window.rawValue - 0x4000), to: PhysicalAddress(0), size: .size16KiB, protection: .read) }
        #expect(set.count == 1)
    }
}

/// Declared sets keep each size domain (PowerPC segment, IA-64 short-format region) at one page
/// size, as their export must.
struct SizeDomainTests {
    func map(_ set: inout TranslationSet, _ address: UInt64, _ frame: UInt64, _ size: PageSize) throws {
        try set.update { tx in try tx.map(VirtualAddress(address), to: PhysicalAddress(frame), size: size, protection: .read) }
    }

    @Test func ppc64SegmentsHoldOnePageSize() throws {
        var set = TranslationSet(architecture: .ppc64HPT)
        try map(&set, 0x1000_0000, 0x10_0000, .size4KiB)
        #expect(throws: MappingError.self, "a 64 KiB page beside a 4 KiB page in segment 1") {
            try map(&set, 0x1001_0000, 0x20_0000, .size64KiB)
        }
        try map(&set, 0x2000_0000, 0x20_0000, .size64KiB)
        try map(&set, 0x1000_1000, 0x30_0000, .size4KiB)
        #expect(set.count == 3)
        #expect(throws: MappingError.self, "two sizes in one segment within one operation") {
            try set.update { tx in
                try tx.map(contentsOf: [
                    MMUEntry(VirtualAddress(0x3000_0000), to: PhysicalAddress(0x40_0000), protection: .read),
                    MMUEntry(VirtualAddress(0x3001_0000), to: PhysicalAddress(0x50_0000), size: .size64KiB, protection: .read),
                ])
            }
        }
        #expect(throws: MappingError.self, "promoting in a segment that keeps 4 KiB pages") {
            try set.update { tx in
                try tx.map(contentsOf: (0..<14).map {
                    MMUEntry(VirtualAddress(0x1000_2000 + UInt64($0) << 12), to: PhysicalAddress(0x60_2000 + UInt64($0) << 12), protection: .read)
                })
                try tx.unmap(try VirtualRange(start: VirtualAddress(0x1000_0000), byteCount: 0x1000))
                try tx.map(VirtualAddress(0x1000_0000), to: PhysicalAddress(0x60_0000), protection: .read)
                try tx.resize(VirtualAddress(0x1000_0000), to: .size64KiB)
            }
        }
        #expect(set.count == 3, "the refused transaction changed nothing")
    }

    @Test func ia64ShortRegionsHoldOnePageSize() throws {
        var set = TranslationSet(architecture: .ia64ShortVHPT)
        try map(&set, 0x4000, 0x10_0000, .size16KiB)
        #expect(throws: MappingError.self) { try map(&set, 0x10_0000, 0x20_0000, .size64KiB) }
        try map(&set, 1 << 61, 0x20_0000, .size64KiB)
        #expect(set.count == 2)
    }
}
