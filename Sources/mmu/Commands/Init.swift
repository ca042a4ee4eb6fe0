import ArgumentParser
import Foundation
import MMUStore

extension MMUCommand {
    /// `mmu init`: creates a database, or brings an existing one up to date.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the database (or apply new migrations to an existing one).")

        @OptionGroup var store: StoreOptions

        func run() throws {
            let existed = FileManager.default.fileExists(atPath: store.path)
            let opened = try TranslationStore(path: store.path, creatingIfMissing: true)
            let migrations = try opened.appliedMigrations()
            print("\(existed ? "opened" : "created") \(opened.path ?? store.path) (schema: \(migrations.joined(separator: ", ")))")
        }
    }
}
