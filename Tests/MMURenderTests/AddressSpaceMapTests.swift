import MMUArchitectures
import MMUCore
import MMURender
import MMUStore
import Testing

/// The map's model: runs, the compressed axis, hostile names.
struct AddressSpaceMapTests {
    /// A store with set `p`: a text page run, a heap promoted to one 2 MiB page in generation 1,
    /// a kernel page, and an area with a hostile name.
    static func store() throws -> TranslationStore {
        let store = try TranslationStore.inMemory()
        try store.createSet(named: "p", architecture: .x86_64FourLevel)
        try store.update(set: "p", label: "load") { tx in
            for index in 0..<4 as Range<UInt64> {
                try tx.map(VirtualAddress(0x40_0000 + index << 12), to: PhysicalAddress(0x1000 + index << 12), protection: [.read, .execute, .user])
            }
            for index in 0..<512 as Range<UInt64> {
                try tx.map(VirtualAddress(0x60_0000 + index << 12), to: PhysicalAddress(0x4000_0000 + index << 12), protection: [.read, .write, .user])
            }
            try tx.replaceAreas(in: VirtualRange(pages: 0x400..<0x404), with: [
                MemoryArea(range: VirtualRange(pages: 0x400..<0x404), protection: [.read, .execute, .user], kind: .file, name: "</script><script>alert(1)</script>")
            ])
        }
        try store.update(set: "p", label: "promote") { tx in
            try tx.resize(VirtualAddress(0x60_0000), to: .size2MiB)
            try tx.map(VirtualAddress(0xffff_8000_0000_0000), to: PhysicalAddress(0x8000_0000), protection: [.read, .write])
        }
        return store
    }

    @Test func runsCoalesceAlikeEntriesAndKeepTheirGenerations() throws {
        let map = try AddressSpaceMap(store: try Self.store(), set: "p")
        let runs = map.runs.map { "\(VirtualAddress(pageNumber: $0.firstPage)) \($0.count)x\($0.size) \($0.born)-\($0.died.map(String.init) ?? "live")" }
        #expect(runs == ["0x400000 4x4KiB 0-live", "0x600000 512x4KiB 0-1", "0x600000 1x2MiB 1-live", "0xffff800000000000 1x4KiB 1-live"])
        #expect(map.generation == 1 && map.headGeneration == 1)
        let withoutHistory = try AddressSpaceMap(store: try Self.store(), set: "p", options: .init(includesHistory: false))
        #expect(withoutHistory.runs.count == 3)
        #expect(throws: RenderError.tooLarge(set: "p", runs: 4, limit: 3, withHistory: true)) {
            try AddressSpaceMap(store: try Self.store(), set: "p", options: .init(maximumRuns: 3))
        }
    }

    @Test func theAxisCompressesLongGapsAndNamesTheCanonicalHole() throws {
        let axis = AddressAxis(
            occupied: [0x400..<0x404, 0x600..<0x800, 0xf_ffff_8000_0000..<0xf_ffff_8000_0001], addressing: .signExtended(bits: 48))
        #expect(axis.segments.map(\.pages) == [0x400..<0x404, 0x600..<0x800, 0xf_ffff_8000_0000..<0xf_ffff_8000_0001])
        #expect(axis.gaps.map(\.label) == ["unmapped", "canonical hole"])
        #expect(axis.x(ofPage: 0x500) == nil)
        let edges = axis.segments.flatMap { [$0.x.lowerBound, $0.x.upperBound] }
        #expect(edges == edges.sorted() && edges.first == 0 && abs((edges.last ?? 0) - axis.width) < 1e-6)
        #expect(axis.segments.allSatisfy { $0.x.upperBound - $0.x.lowerBound >= AddressAxis.minimumSegmentWidth })
        // A short gap stays to scale inside its segment.
        let near = AddressAxis(occupied: [0x400..<0x404, 0x410..<0x414], addressing: nil)
        #expect(near.segments.map(\.pages) == [0x400..<0x414] && near.gaps.isEmpty)
        let x = try #require(near.x(ofPages: 0x410..<0x414))
        #expect(abs(x.upperBound - near.width) < 1e-6)
    }

    @Test func storeTextCannotBreakOutOfThePage() throws {
        let map = try AddressSpaceMap(store: try Self.store(), set: "p")
        let html = map.html()
        #expect(!html.contains("alert(1)</script>"))
        #expect(html.contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"))
        #expect(html.contains(AddressSpaceMap.contentSecurityPolicy))
        let svg = map.svg()
        #expect(!svg.contains("<script"))
    }
}
