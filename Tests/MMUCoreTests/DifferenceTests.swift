import MMUCore
import MMUTestSupport
import Testing

struct DifferenceTests {
    /// The kinds of change of every 4 KiB page, computed page by page.
    func pageKinds(_ old: TranslationSet, _ new: TranslationSet, ignoringFrames: Bool) -> [UInt64: TranslationSet.Difference.Kinds] {
        var pages = Set<UInt64>()
        for entry in old.entries + new.entries { pages.formUnion(entry.range.pages) }
        var result: [UInt64: TranslationSet.Difference.Kinds] = [:]
        for page in pages {
            let address = VirtualAddress(pageNumber: page)
            let before = old.entry(containing: address), after = new.entry(containing: address)
            var kinds: TranslationSet.Difference.Kinds = []
            switch (before, after) {
            case (nil, _?): kinds = .added
            case (_?, nil): kinds = .removed
            case (let before?, let after?):
                if !ignoringFrames && before.translate(address) != after.translate(address) { kinds.insert(.remapped) }
                if before.protection != after.protection { kinds.insert(.reprotected) }
                if before.size != after.size { kinds.insert(.resized) }
                if before.isGlobal != after.isGlobal || before.cacheMode != after.cacheMode { kinds.insert(.attributes) }
            default: break
            }
            if !kinds.isEmpty { result[page] = kinds }
        }
        return result
    }

    @Test(arguments: PropertySeeds.all)
    func agreesWithAPageByPageComparison(seed: UInt64) throws {
        var operations = RandomOperations(seed: seed)
        var set = TranslationSet()
        var history = [set]
        for _ in 0..<40 {
            try set.update { tx in
                for _ in 0..<8 { try? operations.next().apply(to: tx) }
            }
            history.append(set)
        }
        var generator = SplitMix64(seed: seed)
        for _ in 0..<40 {
            let old = history[Int(generator.next() % UInt64(history.count))], new = history[Int(generator.next() % UInt64(history.count))]
            for ignoringFrames in [false, true] {
                let difference = new.difference(from: old, ignoringFrames: ignoringFrames)
                var expanded: [UInt64: TranslationSet.Difference.Kinds] = [:]
                for change in difference.changes {
                    for page in change.range.pages {
                        #expect(expanded[page] == nil, "seed \(seed): page \(page) reported twice")
                        expanded[page] = change.kinds
                    }
                }
                #expect(expanded == pageKinds(old, new, ignoringFrames: ignoringFrames), "seed \(seed)")
                for (first, second) in zip(difference.changes, difference.changes.dropFirst()) {
                    #expect(first.range.upperPage <= second.range.lowerPage)
                }
                #expect(difference.isEmpty == (old.entries.map(\.withoutAccessState) == new.entries.map(\.withoutAccessState) || (ignoringFrames && expanded.isEmpty)))
            }
        }
    }

    @Test func coalescesRunsAndSummarizes() throws {
        var old = TranslationSet()
        try old.update { tx in
            try tx.map(contentsOf: (0..<512).map { MMUEntry(VirtualAddress(0x20_0000 + $0 * 4096), to: PhysicalAddress(0x4000_0000 + $0 * 4096), protection: .read) })
        }
        var new = old
        try new.update { tx in
            try tx.resize(VirtualAddress(0x20_0000), to: .size2MiB)
            try tx.map(contentsOf: (0..<4).map { MMUEntry(VirtualAddress(0x80_0000 + $0 * 4096), to: PhysicalAddress($0 * 4096), protection: .read) })
        }
        let difference = new.difference(from: old)
        #expect(difference.changes.map(\.kinds) == [.resized, .added])
        #expect(difference.changes.map(\.range.pageCount) == [512, 4])
        #expect(difference.summary.bytes["resized"] == 0x20_0000)
        #expect(difference.summary.ranges["added"] == 1)
        #expect(difference.summary.totalBytes == 0x20_4000)
        var moved = old
        try moved.update { tx in
            try tx.map(MMUEntry(VirtualAddress(0x20_0000), to: PhysicalAddress(0x9000), protection: .read), replacing: true)
        }
        #expect(moved.difference(from: old).changes.map(\.kinds) == [.remapped])
        #expect(moved.difference(from: old, ignoringFrames: true).isEmpty)
    }
}
