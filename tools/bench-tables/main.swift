import Foundation
import MMUArchitectures
import TableBenchmarks

/// mmu-bench-tables [FORMAT…]: build and random-translate a 1M-entry set per format, each run
/// interleaved with a minimal same-run reference; prints medians and ranges. Run in release:
/// swift build -c release --product mmu-bench-tables && .build/release/mmu-bench-tables
/// Knobs (environment): ENTRIES, LOOKUPS, RUNS, SORTED (sorted lookups).
let requested = CommandLine.arguments.dropFirst()
let environment = ProcessInfo.processInfo.environment
var benchmark = TableBenchmark(
    formats: requested.isEmpty ? PageTableFormat.all : requested.compactMap { PageTableFormat(named: $0) })
benchmark.sortedLookups = environment["SORTED"] != nil
if let entries = environment["ENTRIES"].flatMap(Int.init) { benchmark.entryCount = entries }
if let lookups = environment["LOOKUPS"].flatMap(Int.init) { benchmark.lookupCount = lookups }
if let runs = environment["RUNS"].flatMap(Int.init) { benchmark.runs = runs }

/// Millions with one decimal.
func millions(_ value: Double) -> String { String(format: "%.1f", value / 1e6) }

print(
    "mmu-bench-tables: \(benchmark.entryCount) entries, \(benchmark.lookupCount) random lookups, \(benchmark.runs) runs;",
    "rates in millions per second, median (min-max); reference = same run, interleaved")
let header = ["format", "operation", "ours", "ours range", "reference", "ref range", "ratio", "target", "met", "pages"]
var rows = [header]
do {
    for figure in try benchmark.run(progress: { FileHandle.standardError.write(Data("\($0)\n".utf8)) }) {
        rows.append([
            figure.format, figure.operation.rawValue, millions(figure.median),
            "\(millions(figure.samples.min() ?? .nan))-\(millions(figure.samples.max() ?? .nan))",
            millions(figure.referenceMedian),
            "\(millions(figure.referenceSamples.min() ?? .nan))-\(millions(figure.referenceSamples.max() ?? .nan))",
            String(format: "%.2f", figure.ratio),
            figure.targetRatio.map { String(format: "%.2fx", $0) } ?? figure.target.map { "\(millions($0))" } ?? "-",
            figure.meetsTarget.map { $0 ? "yes" : "NO" } ?? "-", String(figure.tablePages),
        ])
    }
} catch {
    FileHandle.standardError.write(Data("mmu-bench-tables: failed: \(error)\n".utf8))
    exit(1)
}
let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
for row in rows {
    print(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
}
print("reference: each format against a minimal table of its own shape; both sides' lookups found the same frames")
