import MMUArchitectures
import MMUCore
import MMUTestSupport
import Testing

/// Incremental `apply(removing:adding:)` after random transactions equals a full rebuild:
/// the same `encodedEntries()` (same present entries and bits at the same positions; table
/// placement may differ), the same canonical entries, and the same translations.
struct IncrementalApplyTests {
    @Test(arguments: Fixtures.cases)
    func applyEqualsRebuild(format: PageTableFormat, seed: UInt64) throws {
        var random = RandomEntries(seed: seed ^ 0xA991, architecture: format.architecture)
        let start = Fixtures.randomSet(format, seed: seed, count: 150, random: &random)
        let accepted = start.entries.filter { (try? format.architecture.check($0)) != nil }
        var set = try TranslationSet(entries: accepted, architecture: format.architecture)
        var table = try format.makeTable(for: set)
        var applied = 0, refused = 0
        for round in 0..<12 {
            var next = set
            let operations = (0..<(1 + random.generator.next() % 12)).map { _ in
                Self.randomOperation(&random, set: set, format: format)
            }
            try next.update { tx in
                for operation in operations { try? operation.apply(to: tx) }
            }
            let before = Set(set.entries), after = Set(next.entries)
            let removed = set.entries.filter { !after.contains($0) }
            let added = next.entries.filter { !before.contains($0) }
            let rebuilt = try? format.makeTable(for: next)
            let previous = try table.encodedEntries()
            do {
                try table.apply(removing: removed, adding: added)
            } catch {
                #expect(rebuilt == nil, "seed \(seed) round \(round): apply failed (\(error)) but a rebuild succeeds")
                #expect(try table.encodedEntries() == previous, "seed \(seed) round \(round): a failed apply changed the table")
                refused += 1
                continue
            }
            let reference = try #require(rebuilt, "seed \(seed) round \(round): apply succeeded but a rebuild fails")
            #expect(try table.encodedEntries() == reference.encodedEntries(), "seed \(seed) round \(round): encoded entries differ")
            #expect(try table.entries() == next.entries.map(format.normalized), "seed \(seed) round \(round): entries differ")
            #expect(table.entryCount == next.count, "seed \(seed) round \(round)")
            for _ in 0..<100 {
                let address = random.address(in: next, mapped: random.generator.next() % 2 == 0)
                #expect(
                    table.translate(address, access: .read, privilege: .kernel)
                        == reference.translate(address, access: .read, privilege: .kernel)
                        || Self.sameOutcome(table, reference, address), "seed \(seed) round \(round) \(address)")
            }
            set = next
            applied += 1
        }
        #expect(applied > 0, "seed \(seed): no transaction could be applied (\(refused) refused)")
    }

    /// The same result except for the level of a hashed hit, which depends on chain order.
    static func sameOutcome(_ a: any HardwarePageTable, _ b: any HardwarePageTable, _ address: VirtualAddress) -> Bool {
        switch (a.translate(address, access: .read, privilege: .kernel), b.translate(address, access: .read, privilege: .kernel)) {
        case (.mapped(let x), .mapped(let y)): x.physicalAddress == y.physicalAddress && x.size == y.size && x.rights == y.rights
        case (.fault(let x), .fault(let y)): x.kind == y.kind
        default: false
        }
    }

    /// A random operation over the set's neighbourhood: map (sometimes replacing), unmap,
    /// protect, resize. For formats whose regions or segments hold one page size, new pages take
    /// the size their group already has and large pages are never split.
    static func randomOperation(_ random: inout RandomEntries, set: TranslationSet, format: PageTableFormat) -> TransactionOperation {
        let existing = set.entries.isEmpty ? nil : set.entries[Int(random.generator.next() % UInt64(set.entries.count))]
        let protection = Protection(rawValue: UInt8(random.generator.next() % 16))
        let largePages: LargePagePolicy = format.groupShift == nil ? .demote : .reject
        func newEntry(_ random: inout RandomEntries) -> MMUEntry {
            var entry = random.entry(physicalBits: format.physicalBits)
            if let shift = format.groupShift,
                let neighbour = set.entries.first(where: { $0.virtualAddress.rawValue >> shift == entry.virtualAddress.rawValue >> shift })
            {
                entry.size = neighbour.size
                entry.virtualAddress = entry.virtualAddress.alignedDown(to: neighbour.size)
                entry.physicalAddress = PhysicalAddress(entry.physicalAddress.rawValue & ~(neighbour.size.byteCount - 1))
            }
            return entry
        }
        switch random.generator.next() % 10 {
        case 0..<4:
            return .map(newEntry(&random), replacing: random.generator.next() % 2 == 0, largePages: largePages)
        case 4..<6:
            if let existing { return .unmap(existing.range, largePages: largePages) }
        case 6..<8:
            if let existing {
                let pages = existing.range.lowerPage..<(existing.range.lowerPage + max(1, existing.range.pageCount / 2))
                return .protect(VirtualRange(pages: pages), protection, largePages: largePages)
            }
        default:
            if let existing, format.groupShift == nil {
                let size = format.pageSizes[Int(random.generator.next() % UInt64(format.pageSizes.count))]
                return .resize(existing.virtualAddress.alignedDown(to: size), to: size)
            }
        }
        return .map(newEntry(&random), replacing: true, largePages: largePages)
    }
}
