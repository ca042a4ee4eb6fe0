import Foundation
import MMUArchitectures
import MMUCore
import MMUTestSupport

/// Incremental apply of a 1% transaction to an already built table, against a full rebuild of
/// the changed set, per format (ours: apply; reference: rebuild, in the same run).
///
/// A table learns which frames its entries map on its first change (building it does not pay
/// for that): the first 1% change is reported on its own row, then a second is timed against
/// the rebuild.
struct ApplyBenchmarks {
    let entries: Int
    let runs: Int

    /// `set` after a 1% change, and what the change removed and added.
    func changed(_ set: TranslationSet, seed: UInt64) throws -> (after: TranslationSet, removed: [MMUEntry], added: [MMUEntry]) {
        var after = set
        var generator = SplitMix64(seed: seed)
        let onePercent = max(entries / 100, 3)
        try after.update { tx in
            for index in 0..<onePercent {
                let page = UInt64(generator.next() % UInt64(entries))
                let address = VirtualAddress(0x7f00_0000_0000 + page << 12)
                if index % 2 == 0 {
                    try tx.map(address, to: PhysicalAddress(0x80_0000_0000 + (seed << 32) + UInt64(index) << 12), protection: [.read, .user], replacing: true)
                } else {
                    try tx.clear(try VirtualRange(start: address, byteCount: 4096))
                }
            }
        }
        let old = Set(set.entries), new = Set(after.entries)
        return (after, set.entries.filter { !new.contains($0) }, after.entries.filter { !old.contains($0) })
    }

    func run(pages: [MMUEntry], progress: (String) -> Void) throws -> [Measurement] {
        let initial = try TranslationSet(entries: pages)
        let warm = try changed(initial, seed: 7)
        let (after, removed, added) = try changed(warm.after, seed: 8)
        var results: [Measurement] = []
        for name in ["x86_64-4level", "ia64-vhpt-long"] {
            guard let format = PageTableFormat(named: name) else { continue }
            var first: [Double] = [], firstRebuild: [Double] = [], apply: [Double] = [], rebuild: [Double] = []
            for runIndex in 0..<runs {
                progress("apply \(name) run \(runIndex + 1)/\(runs)")
                var table = try format.makeTable(for: initial)
                first.append(try seconds { try table.apply(removing: warm.removed, adding: warm.added) } * 1000)
                firstRebuild.append(try seconds { _ = try format.makeTable(for: warm.after) } * 1000)
                apply.append(try seconds { try table.apply(removing: removed, adding: added) } * 1000)
                rebuild.append(try seconds { _ = try format.makeTable(for: after) } * 1000)
                guard table.entryCount == after.count else { throw BenchmarkError("\(name): apply left \(table.entryCount) entries, not \(after.count)") }
            }
            results.append(Measurement(
                operation: "\(name): first 1% transaction applied to a freshly built table (learns its frames)", unit: "ms",
                higherIsBetter: false, ours: first, reference: firstRebuild, referenceName: "full rebuild", target: "-"))
            results.append(Measurement(
                operation: "\(name): apply a 1% transaction (-\(removed.count) +\(added.count)) to a built \(entries)-entry table", unit: "ms",
                higherIsBetter: false, ours: apply, reference: rebuild, referenceName: "full rebuild", target: "faster than rebuild"))
            results[results.count - 1].targetMet = (results[results.count - 1].ratio ?? 0) > 1
        }
        return results
    }
}
