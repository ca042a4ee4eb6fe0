import MMUArchitectures
import TableBenchmarks

/// The hardware-table figures (build and random translate for every format, each run
/// interleaved with its minimal same-run reference) as ``Measurement`` rows.
///
/// The measuring itself is ``TableBenchmark`` (tools/bench-tables/Measuring), shared with
/// `mmu-bench-tables`.
struct TableMeasurements {
    let entries: Int
    let runs: Int

    func run(progress: (String) -> Void) throws -> [Measurement] {
        let benchmark = TableBenchmark(entryCount: entries, lookupCount: entries, runs: runs)
        return try benchmark.run(progress: progress).map { figure in
            // The targets are set for 1M entries: smaller sets (--quick) fit in cache and say nothing of them.
            let isTargetSize = entries >= 1_000_000
            var measurement = Measurement(
                operation: "\(figure.format) \(figure.operation == .build ? "build" : "random translate") (\(entries) 4K entries)",
                unit: figure.unit, higherIsBetter: true, ours: figure.samples, reference: figure.referenceSamples,
                referenceName: figure.referenceName,
                target: figure.targetRatio.map { String(format: ">= %.2fx reference", $0) + (isTargetSize ? "" : " at 1M entries") }
                    ?? figure.target.map { ">= \(Format.value($0, figure.unit))\(isTargetSize ? "" : " at 1M entries")" } ?? "-")
            measurement.targetMet = isTargetSize ? figure.meetsTarget : nil
            return measurement
        }
    }
}
