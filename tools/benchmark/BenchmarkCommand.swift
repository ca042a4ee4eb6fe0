import ArgumentParser
import Foundation
import MMUStore

/// `mmu-bench`: every performance figure side by side with its same-run reference.
@main
struct BenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mmu-bench",
        abstract: "Run MMUStore's benchmarks (release build recommended) and print one table.")

    @Flag(help: "A smoke run of a few seconds: small sets, one run.") var quick = false
    @Flag(help: "Print the results as JSON.") var json = false
    @Option(help: "Entries per generated address space.") var entries: Int?
    @Option(help: "Runs per benchmark (the median is reported).") var runs: Int?
    @Flag(help: "Only the replay benchmarks (simulate a lackey trace, strace replays).") var replayOnly = false
    @Flag(help: "Only the import benchmark (import --entries against the bulk map).") var importOnly = false
    @Flag(help: "Only the render benchmark (mmu render's page at scale, ranged and scattered histories).") var renderOnly = false
    @Option(help: "A recorded lackey trace to replay instead of recording one (with --layout).") var trace: String?
    @Option(help: "The /proc/PID/maps layout of --trace.") var layout: String?

    func validate() throws {
        guard (trace == nil) == (layout == nil) else { throw ValidationError("give --trace and --layout together") }
        guard [replayOnly, importOnly, renderOnly].filter({ $0 }).count <= 1 else {
            throw ValidationError("give at most one of --replay-only, --import-only and --render-only")
        }
    }

    func run() throws {
        let entries = entries ?? (quick ? 20_000 : 1_000_000)
        let runs = runs ?? (quick ? 1 : 5)
        let migration = try TranslationStore.migrationIdentifiers()
        let progress: (String) -> Void = { message in
            if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\r\u{1B}[K\(message)".utf8)) }
        }
        var recorded: (trace: String, layout: String)?
        if let trace, let layout { recorded = (trace, layout) }
        if replayOnly {
            let results = try ReplayBenchmarks(quick: quick, runs: self.runs ?? (quick ? 1 : 3), recorded: recorded).run(progress: progress)
            progress("")
            try report(results, entries: entries, runs: runs, migration: migration)
            return
        }
        if importOnly {
            let pages = StoreBenchmarks(entries: entries, runs: runs, migrationSQL: try TranslationStore.migrationSQL()).pages()
            if !quick { _ = try ImportBenchmarks(runs: 1).run(pages: Array(pages.prefix(20_000))) { progress("warm-up: \($0)") } }
            let results = try ImportBenchmarks(runs: runs).run(pages: pages, progress: progress)
            progress("")
            try report(results, entries: entries, runs: runs, migration: migration)
            return
        }
        if renderOnly {
            let pages = StoreBenchmarks(entries: entries, runs: runs, migrationSQL: try TranslationStore.migrationSQL()).pages()
            if !quick { _ = try RenderBenchmarks(entries: 20_000, runs: 1).run(pages: Array(pages.prefix(20_000))) { progress("warm-up: \($0)") } }
            let results = try RenderBenchmarks(entries: entries, runs: runs).run(pages: pages, progress: progress)
            progress("")
            try report(results, entries: entries, runs: runs, migration: migration)
            return
        }
        if !quick {
            // A warm-up pass over every benchmark at the quick size, discarded: code paths,
            // allocator, page cache and the trace fixture are all warm before the first sample.
            _ = try measure(entries: 20_000, runs: 1, quick: true, recorded: nil) { progress("warm-up: \($0)") }
        }
        let results = try measure(entries: entries, runs: runs, quick: quick, recorded: recorded, progress: progress)
        progress("")
        try report(results, entries: entries, runs: runs, migration: migration)
    }

    /// Prints the results as a table or as JSON.
    private func report(_ results: [Measurement], entries: Int, runs: Int, migration: [String]) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(results), as: UTF8.self))
        } else {
            print("mmu-bench: \(entries) entries, \(runs) run\(runs == 1 ? "" : "s") (schema \(migration.joined(separator: ",")))")
            print(Format.table(results))
        }
    }

    /// Every benchmark once, at `entries` entries with `runs` runs each.
    private func measure(
        entries: Int, runs: Int, quick: Bool, recorded: (trace: String, layout: String)?, progress: (String) -> Void
    ) throws -> [Measurement] {
        var results: [Measurement] = []
        let store = StoreBenchmarks(entries: entries, runs: runs, migrationSQL: try TranslationStore.migrationSQL())
        results += try store.run(progress: progress)
        let pages = store.pages()
        results += try ImportBenchmarks(runs: runs).run(pages: pages, progress: progress)
        results += try DiffBenchmarks(entries: entries, runs: runs).run(pages: pages, progress: progress)
        results += try TableMeasurements(entries: entries, runs: runs).run(progress: progress)
        results += try ApplyBenchmarks(entries: entries, runs: runs).run(pages: pages, progress: progress)
        results += try NaiveReferenceBenchmarks(runs: runs).run(pages: pages, progress: progress)
        results += try RenderBenchmarks(entries: entries, runs: runs).run(pages: pages, progress: progress)
        results += try ReplayBenchmarks(quick: quick, runs: quick ? 1 : 3, recorded: recorded).run(progress: progress)
        results += try EndToEndBenchmarks(quick: quick, runs: quick ? 1 : 3).run(progress: progress)
        return results
    }
}
