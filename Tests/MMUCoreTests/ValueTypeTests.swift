import Foundation
import MMUCore
import Testing

struct ValueTypeTests {
    @Test(arguments: [("4K", 12), ("4KiB", 12), ("2M", 21), ("2MiB", 21), ("1G", 30), ("4GiB", 32), ("4096", 12), ("0x200000", 21), ("16k", 14), ("4kib", 12), ("1_048_576", 20)])
    func parsesPageSizes(text: String, shift: Int) {
        #expect(PageSize(text)?.shift == UInt8(shift))
    }

    @Test(arguments: ["3K", "2K", "8G", "0", "", "0x1000b", "x", "1T"])
    func rejectsBadPageSizes(text: String) {
        #expect(PageSize(text) == nil)
    }

    @Test func namesPageSizes() {
        #expect(PageSize.size4KiB.description == "4KiB")
        #expect(PageSize.size2MiB.description == "2MiB")
        #expect(PageSize.size4GiB.description == "4GiB")
        #expect(PageSize.all.count == 21)
        #expect(PageSize.size1GiB.pageCount == 262_144)
    }

    @Test func parsesProtections() {
        #expect(Protection("rw-u") == [.read, .write, .user])
        #expect(Protection("---u") == [.user])
        #expect(Protection("rwx-")?.description == "rwx-")
        #expect(Protection("rr") == nil)
        #expect(Protection("rq") == nil)
    }

    @Test func rangesRefuseOverflowEmptinessAndMisalignment() {
        #expect(throws: MappingError.addressOverflow(VirtualAddress(0xffff_ffff_ffff_f000), byteCount: 0x2000)) {
            try VirtualRange(start: VirtualAddress(0xffff_ffff_ffff_f000), byteCount: 0x2000)
        }
        #expect(throws: MappingError.emptyRange(VirtualAddress(0x1000))) { try VirtualRange(start: VirtualAddress(0x1000), byteCount: 0) }
        #expect(throws: MappingError.misaligned(VirtualAddress(0x1001), .size4KiB)) { try VirtualRange(start: VirtualAddress(0x1001), byteCount: 0x1000) }
        #expect(throws: MappingError.misalignedLength(VirtualAddress(0x1000), byteCount: 0x1001)) { try VirtualRange(start: VirtualAddress(0x1000), byteCount: 0x1001) }
    }

    @Test func describesTheTopOfTheAddressSpace() throws {
        let top = try VirtualRange(start: VirtualAddress(0xffff_ffff_ffff_e000), byteCount: 0x2000)
        #expect(top.description == "0xffffffffffffe000-0x10000000000000000")
        #expect(top.lastAddress == VirtualAddress(UInt64.max))
    }

    @Test func coalescesTouchingRanges() {
        let ranges = [VirtualRange(pages: 5..<7), VirtualRange(pages: 1..<3), VirtualRange(pages: 3..<4), VirtualRange(pages: 6..<9)]
        #expect(ranges.coalesced() == [VirtualRange(pages: 1..<4), VirtualRange(pages: 5..<9)])
    }

    @Test(arguments: [
        (Architecture.x86_64FourLevel, 0x0000_7fff_ffff_f000 as UInt64, true), (.x86_64FourLevel, 0x0000_8000_0000_0000, false),
        (.x86_64FourLevel, 0xffff_8000_0000_0000, true), (.x86_64FiveLevel, 0x0000_8000_0000_0000, true),
        (.x86_64FiveLevel, 0x0100_0000_0000_0000, false), (.i386, 0xffff_f000, true), (.i386, 0x1_0000_0000, false),
        (.aarch64FourK39, 0x0000_007f_ffff_f000, true), (.aarch64FourK39, 0x0000_0080_0000_0000, false),
        (.aarch64FourK39, 0xffff_ff80_0000_0000, true), (.ia64LongVHPT, 0x2000_0000_0000_0000, true),
        (.ia64LongVHPT, 0x2008_0000_0000_0000, false), (.ia64LongVHPT, 0x3ffc_0000_0000_0000, true),
        (.ppc64HPT, 0xc000_0000_0000_0000, true),
    ])
    func knowsWhichAddressesAreCanonical(architecture: Architecture, address: UInt64, valid: Bool) {
        #expect(architecture.addressing.isValid(VirtualAddress(address)) == valid)
    }

    @Test func aRangeAcrossTheCanonicalHoleIsInvalid() {
        let across = VirtualRange(pages: 0x7_ffff_ffff..<0x8_0000_0001)
        #expect(!Architecture.x86_64FourLevel.addressing.isValid(across))
    }

    @Test func operationsRoundTripThroughJSON() throws {
        let entry = MMUEntry(VirtualAddress(0xffff_8000_0000_0000), to: PhysicalAddress(0x20_0000), size: .size2MiB, protection: [.read, .write], attributes: .global, cacheMode: .uncached)
        let operations: [TransactionOperation] = [
            .map(entry, replacing: true, largePages: .demote),
            .mapBatch([entry], replacing: false, largePages: .reject),
            .unmap(VirtualRange(pages: 1..<3), largePages: .reject),
            .clear(VirtualRange(pages: 1..<3), largePages: .demote),
            .protect(VirtualRange(pages: 1..<3), [.read, .user], largePages: .reject),
            .resize(VirtualAddress(0x20_0000), to: .size2MiB),
            .makeGlobal(VirtualRange(pages: 7..<8), largePages: .reject),
            .recordAccess(VirtualAddress(0x1000), write: true, count: 4),
            .recordFault(VirtualAddress(0x2000), count: 1),
            .copy(VirtualRange(pages: 1..<3), fromSet: "parent", replacing: true, largePages: .demote),
        ]
        for operation in operations {
            let data = try JSONEncoder().encode(operation)
            #expect(try JSONDecoder().decode(TransactionOperation.self, from: data) == operation)
        }
        let text = #"{"op":"map","va":"0x400000","pa":4096,"protection":"r-xu"}"#
        #expect(try JSONDecoder().decode(TransactionOperation.self, from: Data(text.utf8)) == .map(MMUEntry(VirtualAddress(0x40_0000), to: PhysicalAddress(0x1000), protection: [.read, .execute, .user]), replacing: false, largePages: .reject))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TransactionOperation.self, from: Data(#"{"op":"mop"}"#.utf8))
        }
    }
}
