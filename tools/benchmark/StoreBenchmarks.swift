import BenchmarkReference
import Foundation
import MMUCore
import MMUStore

/// The store's figures: bulk map against the raw C API, snapshot, read at a snapshot.
struct StoreBenchmarks {
    let entries: Int
    let runs: Int
    let migrationSQL: String

    /// 4 KiB user pages from 0x7f00_0000_0000, frames from 1 GiB.
    func pages() -> [MMUEntry] {
        (0..<UInt64(entries)).map {
            MMUEntry(
                VirtualAddress(0x7f00_0000_0000 + $0 << 12), to: PhysicalAddress(0x4000_0000 + $0 << 12),
                protection: [.read, .write, .user])
        }
    }

    func run(progress: (String) -> Void) throws -> [Measurement] {
        let pages = pages()
        var bulk: [Double] = [], bulkReference: [Double] = []
        var snapshot: [Double] = [], snapshotReference: [Double] = [], read: [Double] = [], readReference: [Double] = []
        for runIndex in 0..<runs {
            progress("store run \(runIndex + 1)/\(runs)")
            let directory = try scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try TranslationStore(path: directory.appendingPathComponent("ours.sqlite").path, creatingIfMissing: true)
            try store.createSet(named: "bench")
            bulk.append(Double(entries) / (try seconds { try store.map(pages, into: "bench") }))

            var referenceSeconds = 0.0
            var error: UnsafePointer<CChar>?
            let referencePath = directory.appendingPathComponent("reference.sqlite").path
            let code = reference_bulk_insert(referencePath, migrationSQL, 2, 0x7f00_0000_0000 >> 12, 0x4000_0000 >> 12, Int64(entries), &referenceSeconds, &error)
            guard code == 0 else { throw BenchmarkError("reference insert failed: \(error.map { String(cString: $0) } ?? "\(code)")") }
            bulkReference.append(Double(entries) / referenceSeconds)

            snapshot.append(try seconds { try store.createSnapshot(named: "s\(runIndex)", of: "bench") } * 1000)
            guard reference_snapshot(referencePath, 2, Int64(runIndex), &referenceSeconds, &error) == 0 else {
                throw BenchmarkError("reference snapshot failed: \(error.map { String(cString: $0) } ?? "")")
            }
            snapshotReference.append(referenceSeconds * 1000)
            var count = 0
            let readSeconds = try seconds { count = try store.translationSet(named: "bench", at: .snapshot("s\(runIndex)")).count }
            guard count == entries else { throw BenchmarkError("read \(count) entries, expected \(entries)") }
            read.append(Double(entries) / readSeconds)
            var rows: Int64 = 0
            guard reference_read_generation(referencePath, 2, 0, &referenceSeconds, &rows, &error) == 0, rows == entries else {
                throw BenchmarkError("reference read failed: \(error.map { String(cString: $0) } ?? "\(rows) rows")")
            }
            readReference.append(Double(entries) / referenceSeconds)
        }
        var results = [
            Measurement(operation: "bulk map \(entries) pages, one transaction", unit: "entries/s", higherIsBetter: true, ours: bulk, reference: bulkReference, referenceName: "C insert", target: ">= 0.8x C"),
            Measurement(operation: "snapshot on a \(entries)-entry set", unit: "ms", higherIsBetter: false, ours: snapshot, reference: snapshotReference, referenceName: "C insert+commit", target: "< 2 ms"),
            Measurement(operation: "read the set at a snapshot", unit: "entries/s", higherIsBetter: true, ours: read, reference: readReference, referenceName: "C select", target: ">= 2M/s"),
        ]
        results[0].targetMet = (results[0].ratio ?? 0) >= 0.8
        results[1].targetMet = results[1].oursMedian < 2
        results[2].targetMet = results[2].oursMedian >= 2e6
        return results
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
