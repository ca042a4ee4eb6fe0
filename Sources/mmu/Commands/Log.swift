import ArgumentParser
import MMUStore

extension MMUCommand {
    /// `mmu log`: prints the transaction log.
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the transaction log (the audit trail).",
            discussion: "Prints the latest 50 transactions unless --limit says otherwise; the first line counts them all.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "Only this set's transactions.") var set: String?
        @Option(help: "At most this many rows, the latest; 50 unless given.") var limit: Int = 50
        @OptionGroup var output: OutputOptions

        func run() throws {
            let opened = try store.openForReading()
            let last = try opened.lastSequence()
            let all = try opened.log(of: set)
            let rows = all.suffix(max(0, limit))
            if output.json {
                for row in rows { try Output.jsonLine(JSONLogEntry(row)) }
                return
            }
            print("\(all.count) transaction\(all.count == 1 ? "" : "s")\(set.map { " on set '\($0)'" } ?? ""); last sequence \(last)")
            print(Output.table([["SEQ", "SET", "GEN", "COMMITTED", "+", "-", "LABEL"]] + rows.map {
                ["\($0.sequence)", $0.setName, "\($0.generation)", $0.committedAt, "\($0.counts.entriesAdded)", "\($0.counts.entriesRemoved)", $0.label ?? ""]
            }, rightAligned: [0, 2, 4, 5]))
        }
    }
}
