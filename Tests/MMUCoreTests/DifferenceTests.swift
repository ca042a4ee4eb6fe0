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

    // MARK: Memory areas

    /// The area kinds of every page, computed page by page from the definition: pages in areas
    /// on both sides get the differences; pages on one side only are added or removed when their
    /// area overlaps no area of the other side, resized when it does.
    func pageAreaKinds(_ old: [MemoryArea], _ new: [MemoryArea]) -> [UInt64: (TranslationSet.Difference.AreaKinds, MemoryArea?, MemoryArea?)] {
        var result: [UInt64: (TranslationSet.Difference.AreaKinds, MemoryArea?, MemoryArea?)] = [:]
        for page in Set((old + new).flatMap { Array($0.range.pages) }) {
            let before = old.first { $0.range.pages.contains(page) }, after = new.first { $0.range.pages.contains(page) }
            var kinds: TranslationSet.Difference.AreaKinds = []
            switch (before, after) {
            case (nil, let after?): kinds = old.contains { $0.range.overlaps(after.range) } ? .resized : .added
            case (let before?, nil): kinds = new.contains { $0.range.overlaps(before.range) } ? .resized : .removed
            case (let before?, let after?):
                if before.range != after.range { kinds.insert(.resized) }
                if before.protection != after.protection { kinds.insert(.reprotected) }
                if before.name != after.name { kinds.insert(.renamed) }
                if before.kind != after.kind || before.isShared != after.isShared { kinds.insert(.attributes) }
            default: break
            }
            if !kinds.isEmpty { result[page] = (kinds, before, after) }
        }
        return result
    }

    /// A history of random area replacements (with random entries kept out: areas alone).
    static func areaHistory(seed: UInt64, steps: Int = 40) throws -> [TranslationSet] {
        var generator = RandomAreas(seed: seed)
        var set = TranslationSet()
        var history = [set]
        for _ in 0..<steps {
            try set.update { tx in
                for _ in 0..<3 {
                    let (range, areas) = try generator.next(in: tx)
                    try tx.replaceAreas(in: range, with: areas)
                }
            }
            history.append(set)
        }
        return history
    }

    @Test(arguments: PropertySeeds.all)
    func areaChangesAgreeWithAPageByPageComparison(seed: UInt64) throws {
        let history = try Self.areaHistory(seed: seed)
        var generator = SplitMix64(seed: seed)
        var kindsSeen: TranslationSet.Difference.AreaKinds = []
        for _ in 0..<60 {
            let old = history[Int(generator.next() % UInt64(history.count))], new = history[Int(generator.next() % UInt64(history.count))]
            let difference = new.difference(from: old)
            #expect(difference.changes.isEmpty)
            let expected = pageAreaKinds(old.areas, new.areas)
            var pages = 0
            for change in difference.areaChanges {
                kindsSeen.formUnion(change.kinds)
                for page in change.range.pages {
                    pages += 1
                    let wanted = expected[page]
                    #expect(wanted?.0 == change.kinds, "seed \(seed): page \(page) is \(change.kinds.names), wanted \(wanted?.0.names ?? [])")
                    if let before = wanted?.1 { #expect(change.old == before, "seed \(seed): page \(page) old area") }
                    if let after = wanted?.2 { #expect(change.new == after, "seed \(seed): page \(page) new area") }
                }
            }
            #expect(pages == expected.count, "seed \(seed): every changed page reported once")
            for (first, second) in zip(difference.areaChanges, difference.areaChanges.dropFirst()) {
                #expect(first.range.upperPage <= second.range.lowerPage, "seed \(seed): rows in address order, disjoint")
            }
            #expect(difference.isEmpty == (old.areas == new.areas), "seed \(seed)")
            let unchanged = Set(old.areas).intersection(new.areas)
            let partial = TranslationSet.Difference(
                from: [], to: [], areasFrom: old.areas.filter { !unchanged.contains($0) }, to: new.areas.filter { !unchanged.contains($0) })
            #expect(partial.areaChanges == difference.areaChanges, "seed \(seed): the changed areas alone give the same answer")
            #expect(new.difference(from: old, ignoringAreas: true).isEmpty)
        }
        #expect(kindsSeen.isSuperset(of: [.added, .removed, .resized, .reprotected, .renamed, .attributes]), "seed \(seed): \(kindsSeen.names)")
    }

    @Test func anAreaThatGrowsOrShrinksIsOneResizedRow() throws {
        let heap = MemoryArea(range: VirtualRange(pages: 0x100..<0x103), protection: [.read, .write], kind: .heap, name: "[heap]")
        var grown = heap
        grown.range = VirtualRange(pages: 0x100..<0x105)
        let growth = TranslationSet.Difference(from: [], to: [], areasFrom: [heap], to: [grown])
        #expect(growth.areaChanges == [.init(range: grown.range, kinds: .resized, old: heap, new: grown)])
        let shrink = TranslationSet.Difference(from: [], to: [], areasFrom: [grown], to: [heap])
        #expect(shrink.areaChanges == [.init(range: grown.range, kinds: .resized, old: grown, new: heap)])
        var moved = heap
        moved.range = VirtualRange(pages: 0x200..<0x203)
        #expect(TranslationSet.Difference(from: [], to: [], areasFrom: [heap], to: [moved]).areaChanges.map(\.kinds) == [.removed, .added])
        var renamed = heap
        renamed.name = "/tmp/x"
        renamed.isShared = true
        let difference = TranslationSet.Difference(from: [], to: [], areasFrom: [heap], to: [renamed])
        #expect(difference.areaChanges.map(\.kinds) == [[.renamed, .attributes]])
        #expect(difference.summary.totalAreaRanges == 1 && difference.summary.areaBytes["renamed"] == 0x3000)
        #expect(difference.summary.totalRanges == 0 && !difference.isEmpty)
    }

    /// An mprotect of the middle of an area splits it: three rows, each naming its new piece.
    @Test func aSplitAreaNamesEachPiece() throws {
        let area = MemoryArea(range: VirtualRange(pages: 0..<9), protection: [.read, .write], kind: .anonymous)
        var pieces = [area, area, area]
        pieces[0].range = VirtualRange(pages: 0..<3)
        pieces[1].range = VirtualRange(pages: 3..<6)
        pieces[1].protection = .read
        pieces[2].range = VirtualRange(pages: 6..<9)
        let changes = TranslationSet.Difference(from: [], to: [], areasFrom: [area], to: pieces).areaChanges
        #expect(changes.map(\.kinds) == [.resized, [.resized, .reprotected], .resized])
        #expect(changes.map(\.new) == pieces && changes.allSatisfy { $0.old == area })
    }
}
