import ArgumentParser

/// `mmu`: the command-line tool over an MMUStore database.
@main
struct MMUCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mmu",
        abstract: "Store, snapshot, diff and rebuild process address spaces in SQLite.",
        discussion: """
            The database defaults to ./mmu.sqlite, or $MMU_DATABASE when it is set and not empty; choose \
            another with --database. Addresses are hexadecimal with 0x (0x400000); plain digits are decimal \
            (4194304). Sizes and lengths are 0x…, decimal, or with a binary unit: 4K = 4KiB = 4096, 2M, 1G, \
            1T (KB, MB, GB, TB are refused as ambiguous). Protections are four positions rwxu, each its \
            letter or - for an absent right: rw-u (user data), r-xu (user code), rw-- (kernel data). A \
            set's state is written SET, SET@SNAPSHOT or SET@GENERATION.
            """,
        version: "0.1.0",
        subcommands: [
            Init.self, Sets.self, Map.self, Unmap.self, Protect.self, Resize.self, Apply.self, Snapshot.self,
            Snapshots.self, Show.self, Diff.self, Stats.self, SQL.self, Formats.self, Build.self, Translate.self, Export.self,
            Import.self, Simulate.self, Capture.self, Log.self, Check.self, Compact.self, Rows.self, Render.self,
            Demo.self,
        ])
}
