import Foundation
import MMUCore
import MMUStore

/// `mmu import --entries` (streamed read of a JSON-lines file, byte-level parse, bulk map in one
/// transaction) against the bulk map of the same entries, interleaved in the same run, with both
/// stores' entry counts and content digests checked equal.
struct ImportBenchmarks {
    let runs: Int

    func run(pages: [MMUEntry], progress: (String) -> Void) throws -> [Measurement] {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("entries.jsonl")
        // The lines `mmu show --json` writes: every field, keys sorted, with `"record":"entry"`.
        var text = ""
        text.reserveCapacity(pages.count * 160)
        for entry in pages {
            text += #"{"accessed":\#(entry.attributes.contains(.accessed)),"cache":"\#(entry.cacheMode.rawValue)","dirty":\#(entry.attributes.contains(.dirty)),"#
            text += #""global":\#(entry.isGlobal),"pa":"\#(entry.physicalAddress)","protection":"\#(entry.protection)","record":"entry","#
            text += #""size":"\#(entry.size)","va":"\#(entry.virtualAddress)"}"# + "\n"
        }
        try Data(text.utf8).write(to: file)
        var imported: [Double] = [], bulk: [Double] = []
        for runIndex in 0..<runs {
            progress("import run \(runIndex + 1)/\(runs)")
            let ours = try TranslationStore(path: directory.appendingPathComponent("import\(runIndex).sqlite").path, creatingIfMissing: true)
            imported.append(Double(pages.count) / (try seconds {
                let read = try EntryLines(path: file.path)
                try ours.update(set: "bench", label: "import", creating: .init()) { tx in _ = try tx.mapImported(read.entries) }
            }))
            let reference = try TranslationStore(path: directory.appendingPathComponent("bulk\(runIndex).sqlite").path, creatingIfMissing: true)
            try reference.createSet(named: "bench")
            bulk.append(Double(pages.count) / (try seconds { try reference.map(pages, into: "bench") }))
            let counts = (try ours.translationSet(named: "bench").count, try reference.translationSet(named: "bench").count)
            let digests = (try ours.set(named: "bench").headDigest, try reference.set(named: "bench").headDigest)
            guard counts.0 == pages.count, counts.1 == pages.count, digests.0 == digests.1 else {
                throw BenchmarkError("import and bulk map disagree: \(counts.0) and \(counts.1) entries, digests \(digests.0) and \(digests.1)")
            }
        }
        var result = Measurement(
            operation: "import --entries \(pages.count) JSON lines, one transaction", unit: "entries/s", higherIsBetter: true,
            ours: imported, reference: bulk, referenceName: "bulk map", target: ">= 0.8x bulk map")
        result.targetMet = (result.ratio ?? 0) >= 0.8
        return [result]
    }
}
