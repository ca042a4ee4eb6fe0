import ArgumentParser
import Foundation
import MMUCore
import MMUStore

/// The options every command that opens a database shares.
struct StoreOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "The database file (default: $MMU_DATABASE or ./mmu.sqlite).")
    var database: String?

    /// The database path chosen by the user.
    var path: String {
        database ?? ProcessInfo.processInfo.environment["MMU_DATABASE"] ?? "mmu.sqlite"
    }

    /// Opens the existing store for writing.
    func open() throws -> TranslationStore {
        try TranslationStore(path: path)
    }

    /// Opens the existing store for reading only: nothing is written to the file or next to
    /// it, so reading commands work on files, directories and mounts the user cannot write.
    func openForReading() throws -> TranslationStore {
        try TranslationStore(readingAt: path)
    }
}

/// The `--json` flag of commands whose output is data.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON (one object per line for lists) instead of text for people.")
    var json = false
}

/// The `--demote` flag of range operations.
struct LargePageOptions: ParsableArguments {
    @Flag(help: "Split a large page that the range cuts into smaller pages instead of failing.")
    var demote = false

    var policy: LargePagePolicy { demote ? .demote : .reject }
}

