import Foundation
import MMUArchitectures
import MMUCore
import MMUTestSupport
import Testing

struct RoundTripTests {
    static let formats = PageTableFormat.all
    static let cases: [(PageTableFormat, UInt64)] = formats.flatMap { format in PropertySeeds.all.map { (format, $0) } }

    @Test(arguments: cases)
    func buildThenWalkGivesNormalizedEntries(format: PageTableFormat, seed: UInt64) throws {
        var random = RandomEntries(seed: seed, architecture: format.architecture)
        let set = random.set(count: 3000, physicalBits: format.physicalBits)
        let table = try buildSplittingGroups(format, set)
        let expected = try expectedEntries(format, set)
        let walked = table.entries()
        #expect(walked.count == expected.count, "seed \(seed)")
        #expect(walked == expected ? true : false, "seed \(seed): first difference \(firstDifference(walked, expected))")
        #expect(table.entryCount == expected.count, "seed \(seed)")
    }

    @Test(arguments: cases)
    func exportThenImportGivesNormalizedEntries(format: PageTableFormat, seed: UInt64) throws {
        var random = RandomEntries(seed: seed, architecture: format.architecture)
        let set = random.set(count: 800, physicalBits: format.physicalBits)
        let table = try buildSplittingGroups(format, set)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-rt-\(format.name)-\(seed)-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        try table.image().write(to: directory)
        let imported = try PageTableImage.readSet(from: directory)
        let expected = try expectedEntries(format, set)
        #expect(imported.entries == expected ? true : false, "seed \(seed): first difference \(firstDifference(imported.entries, expected))")
    }

    /// Builds; IA-64 short and PowerPC need one size per region or segment, so those split.
    func buildSplittingGroups(_ format: PageTableFormat, _ set: TranslationSet) throws -> any HardwarePageTable {
        try format.makeTable(for: set, options: BuildOptions(splitsUnsupportedPages: format.needsGroupSplit))
    }

    func expectedEntries(_ format: PageTableFormat, _ set: TranslationSet) throws -> [MMUEntry] {
        format.groupSplit(set.entries).map(format.normalized)
    }
}

extension PageTableFormat {
    /// IA-64 short format (one size per region) and PowerPC (one base size per segment).
    var needsGroupSplit: Bool { name == "ia64-vhpt-short" || name == "ppc64-hpt" }

    /// The entries with every region (IA-64 short) or 256 MiB segment (PowerPC) that mixes
    /// sizes split to its smallest size: what the split option must produce.
    func groupSplit(_ entries: [MMUEntry]) -> [MMUEntry] {
        guard needsGroupSplit else { return entries }
        let shift: UInt64 = name == "ppc64-hpt" ? 28 : 61
        var smallest: [UInt64: PageSize] = [:]
        for entry in entries {
            let key = entry.virtualAddress.rawValue >> shift
            smallest[key] = min(smallest[key] ?? entry.size, entry.size)
        }
        return entries.flatMap { entry -> [MMUEntry] in
            let size = smallest[entry.virtualAddress.rawValue >> shift] ?? entry.size
            return (0..<(entry.size.byteCount / size.byteCount)).map { index in
                var piece = entry
                piece.virtualAddress = VirtualAddress(entry.virtualAddress.rawValue + index * size.byteCount)
                piece.physicalAddress = PhysicalAddress(entry.physicalAddress.rawValue + index * size.byteCount)
                piece.size = size
                return piece
            }
        }
    }

    /// The set as the format holds it after the split option.
    func groupSplit(_ set: TranslationSet) -> TranslationSet {
        TranslationSet(validatedEntries: groupSplit(set.entries), architecture: nil)
    }
}

func firstDifference(_ a: [MMUEntry], _ b: [MMUEntry]) -> String {
    for (x, y) in zip(a, b) where x != y { return "\(x) vs \(y)" }
    return a.count == b.count ? "none" : "count \(a.count) vs \(b.count)"
}
