import BenchmarkReference
import Foundation
import MMUArchitectures
import MMUCore
import MMUStore

/// Diff and statistics figures on a set with 10 generations of 1% changes, plus one
/// generation of exactly 100 changes, and a diff of two files.
struct DiffBenchmarks {
    let entries: Int
    let runs: Int

    /// One generation changing `count` pages: a third remapped, a third unmapped, a third new.
    func change(_ count: Int, in store: TranslationStore, generator: inout SplitMix, round: Int) throws {
        try store.update(set: "bench", label: "change \(count)") { tx in
            for index in 0..<count {
                let page = UInt64(generator.next() % UInt64(entries))
                let address = VirtualAddress(0x7f00_0000_0000 + page << 12)
                switch index % 3 {
                case 0: try? tx.map(address, to: PhysicalAddress(0x80_0000_0000 + UInt64(round * count + index) << 12), protection: [.read, .write, .user], replacing: true)
                case 1: _ = try? tx.clear(try VirtualRange(start: address, byteCount: 4096))
                default:
                    try? tx.map(VirtualAddress(0x7e00_0000_0000 + UInt64(round * count + index) << 12), to: PhysicalAddress(0x90_0000_0000 + UInt64(round * count + index) << 12), protection: [.read, .user])
                }
            }
        }
    }

    func run(pages: [MMUEntry], progress: (String) -> Void) throws -> [Measurement] {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("diff.sqlite").path
        let store = try TranslationStore(path: path, creatingIfMissing: true)
        try store.createSet(named: "bench")
        progress("diff: loading \(entries) entries")
        try store.map(pages, into: "bench")
        var generator = SplitMix(state: 42)
        let onePercent = max(entries / 100, 3)
        var generations: [Double] = []
        for round in 0..<10 {
            progress("diff: generation \(round + 1) of 1% changes")
            generations.append(try seconds { try change(onePercent, in: store, generator: &generator, round: round) } * 1000)
            if round == 4 { try store.createSnapshot(named: "middle", of: "bench") }
        }
        try change(100, in: store, generator: &generator, round: 99)
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
        var statistics: [Double] = [], naive: [Double] = [], crossFile: [Double] = [], safeOpen: [Double] = []
        var rebuild: [Double] = []
        var error: UnsafePointer<CChar>?
        for runIndex in 0..<max(runs, 5) {
            progress("diff run \(runIndex + 1)")
            var changed = 0
            small.append(try seconds {
                changed = try store.difference(of: "bench", from: .generation(head - 1), to: .generation(head)).changes.count
            } * 1000)
            guard changed > 0 else { throw BenchmarkError("the 100-change generation shows no change") }
            var referenceSeconds = 0.0, rows: Int64 = 0
            guard reference_changed_rows(path, 2, head - 1, head, &referenceSeconds, &rows, &error) == 0 else {
                throw BenchmarkError("reference diff failed: \(error.map { String(cString: $0) } ?? "")")
            }
            smallReference.append(referenceSeconds * 1000)
            large.append(try seconds { _ = try store.difference(of: "bench", from: .generation(4), to: .generation(5)) } * 1000)
            guard reference_changed_rows(path, 2, 4, 5, &referenceSeconds, &rows, &error) == 0 else {
                throw BenchmarkError("reference diff failed: \(error.map { String(cString: $0) } ?? "")")
            }
            largeReference.append(referenceSeconds * 1000)
            statistics.append(try seconds { _ = try store.statistics(of: "bench") } * 1000)
            guard reference_group_by(path, 2, &referenceSeconds, &error) == 0 else {
                throw BenchmarkError("reference GROUP BY failed: \(error.map { String(cString: $0) } ?? "")")
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
            Measurement(operation: "per-set statistics", unit: "ms", higherIsBetter: false, ours: statistics, reference: naive, referenceName: "C naive GROUP BY", target: "<= 100 ms"),
            Measurement(operation: "cross-file diff of two \(entries)-entry sets (read both, merge)", unit: "entries/s", higherIsBetter: true, ours: crossFile, target: ">= 2M/s"),
            Measurement(operation: "safe open of the other \(entries)-entry file (all checks)", unit: "s", higherIsBetter: false, ours: safeOpen, target: "-"),
        ]
        results[2].targetMet = results[2].oursMedian <= 0.4
        results[3].targetMet = results[3].oursMedian <= 5
        results[4].targetMet = results[4].oursMedian <= 100
        results[5].targetMet = results[5].oursMedian <= 100
        results[6].targetMet = results[6].oursMedian >= 2e6
        return results
    }
}

/// A deterministic generator for the benchmark's changes.
struct SplitMix {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
