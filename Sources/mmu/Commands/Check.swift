import ArgumentParser
import MMUStore

extension MMUCommand {
    /// `mmu check`: checks the file and the store's invariants.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the database: SQLite's own check plus every store invariant; exit status 1 if anything is wrong.")

        @OptionGroup var store: StoreOptions
        @Flag(help: "Run SQLite's full integrity_check instead of quick_check.") var deep = false
        @OptionGroup var output: OutputOptions

        func run() throws {
            let report = try Progress.during("checking \(store.path) (\(deep ? "integrity_check" : "quick_check") and the store's invariants)") {
                try store.openForReading().check(deep: deep)
            }
            if output.json {
                try Output.jsonLine(report)
            } else {
                print("checked: \(report.checks.joined(separator: ", "))")
                if report.isSound { print("ok") } else { report.problems.forEach { print("problem: \($0)") } }
            }
            if !report.isSound { throw ExitCode.failure }
        }
    }

    /// `mmu compact`: removes history older than a set's oldest snapshot.
    struct Compact: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a set's history older than its oldest snapshot (or its head when it has none).")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The set.") var set: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            let result = try store.open().compact(set: set)
            if output.json { try Output.jsonLine(result) } else {
                print("compacted set '\(set)': history now starts at generation \(result.compactedThrough); removed \(Output.count(result.entriesRemoved, "entry version")), \(Output.count(result.areasRemoved, "area version")), \(Output.count(result.globalEntriesRemoved, "global version"))")
            }
        }
    }
}
