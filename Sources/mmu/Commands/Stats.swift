import ArgumentParser
import MMUCore
import MMUStore

extension MMUCommand {
    /// `mmu stats`: page statistics of one set, or a line per set.
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print page statistics: of every set, or of SET[@SNAPSHOT|@GENERATION] in detail.",
            discussion: "The same figures are SQL views in the database (setStatistics, pageSizeStatistics, …); see `mmu sql`.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "SET, SET@SNAPSHOT or SET@GENERATION; all sets when omitted.") var reference: SetReference?
        @OptionGroup var output: OutputOptions

        func run() throws {
            let opened = try store.open()
            guard let reference else {
                let all = try opened.sets().map { try opened.statistics(of: $0.name) }
                if output.json {
                    for statistics in all { try Output.jsonLine(statistics) }
                } else {
                    print(Output.table([["SET", "HEAD", "ENTRIES", "MAPPED", "GLOBAL", "ACCESSED", "DIRTY", "ROWS", "SNAPSHOTS", "TRANSACTIONS"]] + all.map {
                        [$0.setName, "\($0.generation)", "\($0.entries)", Output.bytes($0.bytesMapped), "\($0.globalEntries)", "\($0.accessed ?? 0)", "\($0.dirty ?? 0)", "\($0.storedRows)", "\($0.snapshots)", "\($0.transactions)"]
                    }, rightAligned: Set(1...9)))
                }
                return
            }
            guard reference.file == nil else { throw ValidationError("stats reads the database given by --database, not FILE:") }
            let statistics = try opened.statistics(of: reference.set, at: reference.version)
            if output.json {
                try Output.jsonLine(statistics)
                return
            }
            print("set '\(statistics.setName)' at \(statistics.version) (generation \(statistics.generation))")
            print("  \(statistics.entries) entries mapping \(Output.bytes(statistics.bytesMapped)); \(statistics.globalEntries) global entries (\(Output.bytes(statistics.globalBytes))) shared with every set")
            if let accessed = statistics.accessed, let dirty = statistics.dirty {
                print("  \(accessed) accessed, \(dirty) dirty")
            }
            print("  \(statistics.storedRows) rows stored (live and history), \(statistics.snapshots) snapshots, \(statistics.transactions) transactions")
            print("by page size:")
            print(Output.table(statistics.bySize.map { ["  \($0.size)", "\($0.entries)", Output.bytes($0.bytes)] }, rightAligned: [1, 2]))
            print("by protection:")
            print(Output.table(statistics.byProtection.map { ["  \($0.protection)", "\($0.entries)", Output.bytes($0.bytes)] }, rightAligned: [1, 2]))
        }
    }

    /// `mmu sql`: a user's query, strictly read-only.
    struct SQL: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sql",
            abstract: "Run one read-only SQL query on the database: an aligned table, --csv or --json.",
            discussion: """
                Views for people: liveEntry, entryVersion, setStatistics, pageSizeStatistics, protectionStatistics,
                pageHeat, snapshotList, transactionHistory, liveArea. Anything that would write, attach or load an
                extension is refused before it runs. Example:
                  mmu sql "SELECT setName, virtualAddress, accesses FROM pageHeat ORDER BY accesses DESC LIMIT 10"
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "The query.") var query: String
        @Flag(help: "Print comma-separated values.") var csv = false
        @Option(help: "Interrupt the query after this many seconds.") var timeout: Double = 60
        @OptionGroup var output: OutputOptions

        func run() throws {
            let result = try store.open().query(query, timeout: timeout)
            if output.json {
                for row in result.rows {
                    try Output.jsonLine(Dictionary(uniqueKeysWithValues: zip(result.columns, row)))
                }
            } else if csv {
                print(([result.columns] + result.rows.map { $0.map(\.description) }).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\n"))
            } else {
                print(Output.table([result.columns] + result.rows.map { $0.map(\.description) }))
                print("(\(result.rows.count) row\(result.rows.count == 1 ? "" : "s"))")
            }
        }

        static func csvField(_ text: String) -> String {
            text.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
    }
}
