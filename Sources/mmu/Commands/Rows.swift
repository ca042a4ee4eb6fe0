import ArgumentParser
import Foundation
import MMUStore

extension MMUCommand {
    /// `mmu rows`: checks a run file from anywhere and writes its tables as CSV, for the runs lake.
    struct Rows: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a run file as an untrusted file (like mmu diff FILE:) and write each of its tables as CSV into a new directory.",
            discussion: """
                The runs lake (tools/lake/mmu-lake) turns these files into Parquet. FILE is opened once, \
                copied privately and checked (header, integrity_check, schema, every invariant and digest) \
                before a row is written; a refusal names the stage. One file per table, TABLE.csv: a header \
                line, integers in decimal, text always quoted, NULL an empty unquoted field.
                """)

        @Argument(help: "The run file (an MMUStore database, never written).") var file: String
        @Option(name: .shortAndLong, help: "The directory to write: a new path or an empty directory.") var output: String
        @OptionGroup var format: OutputOptions

        func run() throws {
            let exists = try OutputDirectory.requireFresh(output, command: "rows", holding: "of TABLE.csv files")
            let written = try Progress.during("checking \(file) and writing its tables to \(output)") {
                let store = try TranslationStore.openUntrusted(path: file)
                if !exists { try Self.createDirectory(output) }
                return try TranslationStore.rowTables.map { table throws(StoreError) in
                    try store.writeRows(of: table, asCSVTo: URL(fileURLWithPath: output).appendingPathComponent("\(table).csv").path)
                }
            }
            if format.json {
                try Output.jsonLine(JSONRows(file: file, directory: output, tables: written))
            } else {
                let rows = written.reduce(0) { $0 + $1.rows }
                print("checked \(file) and wrote \(Output.count(rows, "row")) of \(Output.count(written.count, "table")) to \(output)")
            }
        }

        /// Creates the directory `path`, readable by its owner only.
        static func createDirectory(_ path: String) throws {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            } catch {
                throw CommandFailure("cannot create '\(path)': \(error.localizedDescription)")
            }
        }
    }
}
