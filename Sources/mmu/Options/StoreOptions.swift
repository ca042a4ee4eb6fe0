import ArgumentParser
import Foundation
import MMUCore
import MMUStore

/// The options every command that opens a database shares.
struct StoreOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "The database file (default: $MMU_DATABASE when set and not empty, else ./mmu.sqlite).")
    var database: String?

    /// The database path chosen by the user; an empty `MMU_DATABASE=` means the default.
    var path: String {
        if let database { return database }
        if let variable = ProcessInfo.processInfo.environment["MMU_DATABASE"], !variable.isEmpty { return variable }
        return "mmu.sqlite"
    }

    /// Opens the existing store.
    func open() throws -> TranslationStore {
        try TranslationStore(path: path)
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

