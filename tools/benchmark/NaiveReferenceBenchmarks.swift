import Foundation
import MMUCore
import MMUStore

/// For perspective: what a user might write instead — the same 1M entries written and read
/// back as JSON with Foundation's encoder and decoder — next to the store doing the same.
struct NaiveReferenceBenchmarks {
    let runs: Int

    func run(pages: [MMUEntry], progress: (String) -> Void) throws -> [Measurement] {
        var ours: [Double] = [], json: [Double] = []
        for runIndex in 0..<runs {
            progress("JSON reference run \(runIndex + 1)/\(runs)")
            let directory = try scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("entries.json")
            json.append(Double(pages.count) / (try seconds {
                try JSONEncoder().encode(pages).write(to: file, options: .atomic)
                let read = try JSONDecoder().decode([MMUEntry].self, from: Data(contentsOf: file))
                guard read.count == pages.count else { throw BenchmarkError("JSON read back \(read.count) entries") }
            }))
            let store = try TranslationStore(path: directory.appendingPathComponent("ours.sqlite").path, creatingIfMissing: true)
            try store.createSet(named: "bench")
            ours.append(Double(pages.count) / (try seconds {
                try store.map(pages, into: "bench")
                let read = try store.translationSet(named: "bench")
                guard read.count == pages.count else { throw BenchmarkError("the store read back \(read.count) entries") }
            }))
        }
        return [
            Measurement(
                operation: "write then read \(pages.count) entries (store: one transaction, durable)", unit: "entries/s", higherIsBetter: true,
                ours: ours, reference: json, referenceName: "Foundation JSON file", target: "-"),
        ]
    }
}
