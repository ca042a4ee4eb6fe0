import MMUArchitectures
import MMUCore
import MMUTestSupport
import Testing

/// Tables are values: a change applied to a copy leaves the original's encoded bytes and
/// walks as they were (the table memory is copied on write, not shared).
struct ValueSemanticsTests {
    @Test(arguments: PageTableFormat.all)
    func changingACopyLeavesTheOriginal(format: PageTableFormat) throws {
        var random = RandomEntries(seed: 0x5EED_C0DE, architecture: format.architecture)
        let set = Fixtures.randomSet(format, seed: 0x5EED_C0DE, count: 400, random: &random)
        let original = try format.makeTable(for: set)
        let before = try original.encodedEntries()
        let addresses = (0..<200).map { random.address(in: set, mapped: $0 % 2 == 0) }
        let walks = addresses.map { original.translate($0, access: .read, privilege: .kernel) }

        var copy = original
        let removed = Array(set.entries.prefix(set.count / 2))
        try copy.apply(removing: removed, adding: [])

        #expect(copy.entryCount == set.count - removed.count)
        #expect(try copy.encodedEntries() != before, "the change did not reach the copy")
        #expect(original.entryCount == set.count)
        #expect(try original.encodedEntries() == before, "changing a copy changed the original")
        let changedWalks = zip(addresses, walks).filter { original.translate($0, access: .read, privilege: .kernel) != $1 }
        #expect(changedWalks.isEmpty, "\(changedWalks.count) walks of the original changed")
    }
}
