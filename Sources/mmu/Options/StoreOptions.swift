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

    /// Opens the existing store for writing, with a failed checkpoint after a commit printed as
    /// a warning (``CheckpointWarning``).
    func open() throws -> TranslationStore {
        var store = try TranslationStore(path: path)
        store.checkpointFailureHandler = CheckpointWarning.show
        return store
    }

    /// Opens the existing store for reading only: nothing is written to the file or next to
    /// it, so reading commands work on files, directories and mounts the user cannot write.
    func openForReading() throws -> TranslationStore {
        try TranslationStore(readingAt: path)
    }
}

/// The `--json` flag of commands whose output is data.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON instead of text: one object per line, every key present (schemas/ has each shape).")
    var json = false
}

/// The `--demote` flag of range operations.
struct LargePageOptions: ParsableArguments {
    @Flag(help: "Split a large page that the range cuts, and whose pages inside it change, into smaller pages instead of failing. A large page the operation leaves as it is (protect to the protection it has) stays whole.")
    var demote = false

    var policy: LargePagePolicy { demote ? .demote : .reject }
}

