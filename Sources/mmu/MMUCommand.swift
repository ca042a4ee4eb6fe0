import ArgumentParser

/// `mmu`: the command-line tool over an MMUStore database.
@main
struct MMUCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mmu",
        abstract: "Store, snapshot, diff and rebuild process address spaces in SQLite.",
        discussion: """
            The database defaults to ./mmu.sqlite, or $MMU_DATABASE; choose another with --database. \
            Addresses are hexadecimal (0x…) or decimal; sizes are 4K, 2M, 1G, 4KiB, …; protections are \
            letters from rwxu with - for none (r-xu). A set's state is written SET, SET@SNAPSHOT or \
            SET@GENERATION.
            """,
        version: "0.1.0",
        subcommands: [
            Init.self, Sets.self, Map.self, Unmap.self, Protect.self, Resize.self, Apply.self, Snapshot.self,
            Snapshots.self, Show.self, Diff.self, Stats.self, SQL.self, Formats.self, Build.self, Translate.self, Export.self,
            Import.self, Simulate.self, Capture.self, Log.self, Check.self, Compact.self,
            Demo.self,
        ])
}
