import Foundation
import MMUArchitectures
import MMUCore
import MMUTestSupport
import Testing

/// canonical → build → walk (and → export → import) → canonical is the identity after `normalized`.
struct RoundTripTests {
    @Test(arguments: Fixtures.cases)
    func buildThenWalkGivesNormalizedEntries(format: PageTableFormat, seed: UInt64) throws {
        var random = RandomEntries(seed: seed, architecture: format.architecture)
        let set = Fixtures.randomSet(format, seed: seed, count: 3000, random: &random)
        let table = try format.makeTable(for: set)
        let expected = set.entries.map(format.normalized)
        let walked = try table.entries()
        #expect(walked == expected ? true : false, "seed \(seed): first difference \(firstDifference(walked, expected))")
        #expect(table.entryCount == expected.count, "seed \(seed)")
    }

    @Test(arguments: Fixtures.cases)
    func exportThenImportGivesNormalizedEntries(format: PageTableFormat, seed: UInt64) throws {
        var random = RandomEntries(seed: seed, architecture: format.architecture)
        let set = Fixtures.randomSet(format, seed: seed, count: 800, random: &random)
        let table = try format.makeTable(for: set)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-rt-\(format.name)-\(seed)-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        try table.image().write(to: directory)
        let imported = try PageTableImage.readSet(from: directory)
        let expected = set.entries.map(format.normalized)
        #expect(imported.entries == expected ? true : false, "seed \(seed): first difference \(firstDifference(imported.entries, expected))")
        let reread = try PageTableImage.read(from: directory)
        #expect(reread.format == format)
        #expect(try reread.encodedEntries() == table.encodedEntries(), "seed \(seed)")
    }
}
