import BenchmarkReference
import Foundation
import MMUArchitectures
import MMUCore
import MMUOperations
import MMUStore
import MMUTestSupport

/// Diff and statistics figures on a set with 10 generations of 1% changes, plus one
/// generation of exactly 100 changes, and a diff of two files.
struct DiffBenchmarks {
    let entries: Int
    let runs: Int

    /// One generation changing `count` distinct pages: a third remapped, a third unmapped (both
    /// among the pages still mapped, which `mapped` tracks), a third new. Every operation must
    /// succeed.
    ///
    /// - Returns: The pages remapped, unmapped and added.
    @discardableResult
    func change(
        _ count: Int, in store: TranslationStore, generator: inout SplitMix64, round: Int, mapped: inout Set<UInt64>
    ) throws -> (remapped: Int, unmapped: Int, added: Int) {
        guard count < 1 << 20 else { throw BenchmarkError("a generation of \(count) changes is more than the benchmark numbers (2^20)") }
        var touched = Set<UInt64>()
        var tally = (remapped: 0, unmapped: 0, added: 0)
        try store.update(set: "bench", label: "change \(count)") { tx in
            for index in 0..<count {
                let serial = UInt64(round) << 20 | UInt64(index)  // distinct for every round and index (index < 2^20)
                if index % 3 == 2 {
                    try tx.map(VirtualAddress(0x7e00_0000_0000 + serial << 12), to: PhysicalAddress(0x90_0000_0000 + serial << 12), protection: [.read, .user])
                    tally.added += 1
                    continue
                }
                var page = UInt64(generator.next() % UInt64(entries))
                while !mapped.contains(page) || touched.contains(page) { page = UInt64(generator.next() % UInt64(entries)) }
                touched.insert(page)
                let address = VirtualAddress(0x7f00_0000_0000 + page << 12)
                if index % 3 == 0 {
                    try tx.map(address, to: PhysicalAddress(0x80_0000_0000 + serial << 12), protection: [.read, .write, .user], replacing: true)
                    tally.remapped += 1
                } else {
                    try tx.unmap(try VirtualRange(start: address, byteCount: 4096))
                    mapped.remove(page)
                    tally.unmapped += 1
                }
            }
        }
        return tally
    }

    func run(pages: [MMUEntry], progress: (String) -> Void) throws -> [Measurement] {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("diff.sqlite").path
        let store = try TranslationStore(path: path, creatingIfMissing: true)
        try store.createSet(named: "bench")
        progress("diff: loading \(entries) entries")
        try store.map(pages, into: "bench")
        var generator = SplitMix64(seed: 42)
        var mapped = Set(0..<UInt64(entries))
        let onePercent = max(entries / 100, 3)
        var generations: [Double] = []
        var tallies: [Int64: (remapped: Int, unmapped: Int, added: Int)] = [:]
        for round in 0..<10 {
            progress("diff: generation \(round + 1) of 1% changes")
            var tally = (remapped: 0, unmapped: 0, added: 0)
            generations.append(try seconds { tally = try change(onePercent, in: store, generator: &generator, round: round, mapped: &mapped) } * 1000)
            tallies[try store.set(named: "bench").headGeneration] = tally
        }
        guard let fifth = tallies[5] else { throw BenchmarkError("no 1% generation became generation 5") }
        let hundred = try change(100, in: store, generator: &generator, round: 99, mapped: &mapped)
        try store.checkpoint()
        let head = try store.set(named: "bench").headGeneration

        let other = directory.appendingPathComponent("other.sqlite").path
        let otherStore = try TranslationStore(path: other, creatingIfMissing: true)
        try otherStore.createSet(named: "bench")
        try otherStore.map(pages.map { entry in
            var moved = entry
            moved.physicalAddress = PhysicalAddress(entry.physicalAddress.rawValue + 0x10_0000_0000)
            return moved
        }, into: "bench")
        try otherStore.checkpoint()

        var small: [Double] = [], smallReference: [Double] = [], large: [Double] = [], largeReference: [Double] = []
        var statistics: [Double] = [], counters: [Double] = [], naive: [Double] = [], crossFile: [Double] = [], safeOpen: [Double] = []
        var rebuild: [Double] = []
        var error: UnsafePointer<CChar>?
        for runIndex in 0..<max(runs, 5) {
            progress("diff run \(runIndex + 1)")
            var changes: [TranslationSet.Difference.Change] = []
            small.append(try seconds {
                changes = try store.difference(of: "bench", from: .generation(head - 1), to: .generation(head)).changes
            } * 1000)
            var referenceSeconds = 0.0, rows: Int64 = 0
            guard reference_changed_rows(path, 2, head - 1, head, &referenceSeconds, &rows, &error) == 0 else {
                throw BenchmarkError("reference diff failed: \(error.map { String(cString: $0) } ?? "")")
            }
            try Self.check(changes, rows: rows, against: hundred, what: "the 100-change generation")
            smallReference.append(referenceSeconds * 1000)
            large.append(try seconds { changes = try store.difference(of: "bench", from: .generation(4), to: .generation(5)).changes } * 1000)
            guard reference_changed_rows(path, 2, 4, 5, &referenceSeconds, &rows, &error) == 0 else {
                throw BenchmarkError("reference diff failed: \(error.map { String(cString: $0) } ?? "")")
            }
            try Self.check(changes, rows: rows, against: fifth, what: "the fifth 1% generation")
            largeReference.append(referenceSeconds * 1000)
            var counted = SetStatistics?.none
            statistics.append(try seconds { counted = try store.statistics(of: "bench") } * 1000)
            var referenceEntries: Int64 = 0
            guard reference_counters(path, 2, &referenceSeconds, &referenceEntries, &error) == 0 else {
                throw BenchmarkError("reference counters failed: \(error.map { String(cString: $0) } ?? "")")
            }
            guard let counted, counted.entries + counted.globalEntries == Int(referenceEntries) else {
                throw BenchmarkError("statistics count \(counted.map { $0.entries + $0.globalEntries } ?? -1) entries, the reference's counters \(referenceEntries)")
            }
            counters.append(referenceSeconds * 1000)
            guard reference_group_by(path, 2, &referenceSeconds, &referenceEntries, &error) == 0 else {
                throw BenchmarkError("reference GROUP BY failed: \(error.map { String(cString: $0) } ?? "")")
            }
            guard counted.entries == Int(referenceEntries) else {
                throw BenchmarkError("statistics count \(counted.entries) entries, the GROUP BY \(referenceEntries)")
            }
            naive.append(referenceSeconds * 1000)
            if runIndex < runs, let x86 = PageTableFormat(named: "x86_64-4level") {
                rebuild.append(try seconds { _ = try store.build(set: "bench", format: x86) })
            }
            if runIndex < runs {
                var foreign: TranslationStore?
                safeOpen.append(try seconds { foreign = try TranslationStore.openUntrusted(path: other) })
                guard let foreign else { throw BenchmarkError("the other file did not open") }
                var total = 0
                let elapsed = try seconds {
                    let before = try store.translationSet(named: "bench")
                    let after = try foreign.translationSet(named: "bench")
                    total = before.count + after.count
                    _ = after.difference(from: before)
                }
                crossFile.append(Double(total) / elapsed)
            }
        }
        let compaction = try seconds { _ = try store.compact(set: "bench") } * 1000
        var results = [
            Measurement(operation: "a 1% generation: \(onePercent) remaps, unmaps and maps in one transaction", unit: "ms", higherIsBetter: false, ours: generations, target: "-"),
            Measurement(operation: "compaction of 5 generations of history (once)", unit: "ms", higherIsBetter: false, ours: [compaction], target: "-"),
            Measurement(operation: "load from the store and rebuild x86-64 tables (\(entries) entries)", unit: "s", higherIsBetter: false, ours: rebuild, target: "<= 0.4 s"),
            Measurement(operation: "diff of a 100-change generation (\(entries)-entry set)", unit: "ms", higherIsBetter: false, ours: small, reference: smallReference, referenceName: "C index reads", target: "<= 5 ms"),
            Measurement(operation: "diff of a 1% generation", unit: "ms", higherIsBetter: false, ours: large, reference: largeReference, referenceName: "C index reads", target: "<= 100 ms"),
            Measurement(operation: "per-set statistics", unit: "ms", higherIsBetter: false, ours: statistics, reference: counters, referenceName: "C reading the same counters", target: "<= 100 ms"),
            Measurement(operation: "per-set statistics, against counting the live rows", unit: "ms", higherIsBetter: false, ours: statistics, reference: naive, referenceName: "C naive GROUP BY", target: "-"),
            Measurement(operation: "cross-file diff of two \(entries)-entry sets (read both, merge)", unit: "entries/s", higherIsBetter: true, ours: crossFile, target: ">= 2M/s"),
            Measurement(operation: "safe open of the other \(entries)-entry file (all checks)", unit: "s", higherIsBetter: false, ours: safeOpen, target: "-"),
        ]
        results[2].targetMet = results[2].oursMedian <= 0.4
        results[3].targetMet = results[3].oursMedian <= 5
        results[4].targetMet = results[4].oursMedian <= 100
        results[5].targetMet = results[5].oursMedian <= 100
        results[7].targetMet = results[7].oursMedian >= 2e6
        return results
    }
}

extension DiffBenchmarks {
    /// Checks that a diff found exactly the pages a generation changed, and that the reference's
    /// index reads returned the rows those changes leave (a remap kills one row and adds one).
    static func check(
        _ changes: [TranslationSet.Difference.Change], rows: Int64, against tally: (remapped: Int, unmapped: Int, added: Int),
        what: String
    ) throws {
        let pages = changes.reduce(0) { $0 + Int($1.range.pageCount) }
        let expectedPages = tally.remapped + tally.unmapped + tally.added
        let expectedRows = 2 * tally.remapped + tally.unmapped + tally.added
        guard pages == expectedPages, rows == expectedRows else {
            throw BenchmarkError("\(what): the diff covers \(pages) pages (expected \(expectedPages)), the reference read \(rows) rows (expected \(expectedRows))")
        }
    }
}
