import MMUCore
import Testing

/// `pmap -X`-like residency per memory area.
struct AreaResidencyTests {
    @Test func eachAreaCountsItsEntriesBytesAndBits() throws {
        let small = (0..<3).map { index in
            MMUEntry(
                VirtualAddress(0x40_0000 + UInt64(index) << 12), to: PhysicalAddress(0x1000 + UInt64(index) << 12), protection: [.read, .user],
                attributes: index == 0 ? [.accessed, .dirty] : index == 1 ? .accessed : [])
        }
        let huge = MMUEntry(VirtualAddress(0x60_0000), to: PhysicalAddress(0x4000_0000), size: .size2MiB, protection: [.read, .write, .user], attributes: .accessed)
        let code = MemoryArea(range: VirtualRange(pages: 0x400..<0x410), protection: [.read, .execute, .user], kind: .file, name: "/bin/true")
        // The heap area ends 1 MiB into the 2 MiB page: only that part is resident in it.
        let heap = MemoryArea(range: VirtualRange(pages: 0x600..<0x700), protection: [.read, .write, .user], kind: .heap, name: "[heap]")
        let empty = MemoryArea(range: VirtualRange(pages: 0x900..<0x901), protection: [.read, .user], kind: .anonymous)
        let set = TranslationSet(validatedEntries: small + [huge], architecture: nil, areas: [code, heap, empty])
        let residency = set.areaResidency()
        #expect(residency.map(\.area) == [code, heap, empty])
        #expect(residency.map(\.entriesBySize) == [[.size4KiB: 3], [.size2MiB: 1], [:]])
        #expect(residency.map(\.residentBytes) == [3 * 4096, 1 << 20, 0])
        #expect(residency.map(\.accessed) == [2, 1, 0])
        #expect(residency.map(\.dirty) == [1, 0, 0])
    }
}
