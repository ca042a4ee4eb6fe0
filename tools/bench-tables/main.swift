import Foundation
import MMUArchitectures

/// mmu-bench-tables [FORMAT…]: build and random-translate a 1M-entry set per format; prints
/// medians (and ranges) of several runs. Run in release: swift run -c release mmu-bench-tables
let requested = CommandLine.arguments.dropFirst()
let formats = requested.isEmpty ? PageTableFormat.all : requested.compactMap { PageTableFormat(named: $0) }
var benchmark = TableBenchmark()
let environment = ProcessInfo.processInfo.environment
benchmark.sortedLookups = environment["SORTED"] != nil
if let entries = environment["ENTRIES"].flatMap(Int.init) { benchmark.entryCount = entries }
if let lookups = environment["LOOKUPS"].flatMap(Int.init) { benchmark.lookupCount = lookups }
if let runs = environment["RUNS"].flatMap(Int.init) { benchmark.runs = runs }
let reference = benchmark.measureReference()
let millions = Double(benchmark.entryCount) / 1e6
print("same-run reference (minimal flat x86-64 4-level walk): build \(String(format: "%.1f", millions / reference.build)) Mentries/s, translate \(String(format: "%.1f", Double(benchmark.lookupCount) / 1e6 / reference.translate)) Mlookups/s")
print("format            entries  build Mentries/s (median, range s)      translate Mlookups/s (median, range s)   table pages")
for format in formats {
    do {
        let result = try benchmark.measure(format)
        func rate(_ value: Double) -> String { String(Int((value / 1e5).rounded())).paddedTenths }
        print(
            format.name.padding(toLength: 17, withPad: " ", startingAt: 0),
            String(result.entries).padding(toLength: 8, withPad: " ", startingAt: 0),
            "\(rate(result.buildRate))  (\(result.buildMedian.ms) ms, \(result.buildRange.lowerBound.ms)–\(result.buildRange.upperBound.ms))"
                .padding(toLength: 40, withPad: " ", startingAt: 0),
            "\(rate(result.translateRate))  (\(result.translateMedian.ms) ms, \(result.translateRange.lowerBound.ms)–\(result.translateRange.upperBound.ms))"
                .padding(toLength: 40, withPad: " ", startingAt: 0),
            result.tablePages)
    } catch {
        print(format.name, "failed:", error)
    }
}
let after = benchmark.measureReference()
print("same-run reference again after the formats: build \(String(format: "%.1f", millions / after.build)) Mentries/s, translate \(String(format: "%.1f", Double(benchmark.lookupCount) / 1e6 / after.translate)) Mlookups/s")

extension String {
    /// "123" as "12.3".
    var paddedTenths: String { count < 2 ? "0.\(self)" : "\(dropLast()).\(suffix(1))" }
}

extension Double {
    /// Seconds as whole milliseconds with one decimal.
    var ms: String { String(Int((self * 10_000).rounded())).paddedTenths }
}
