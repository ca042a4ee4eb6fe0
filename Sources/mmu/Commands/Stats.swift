import ArgumentParser
import Foundation
import MMUArchitectures
import MMUCore
import MMUStore

extension MMUCommand {
    /// `mmu stats`: page statistics of one set, or a line per set.
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print page statistics: of every set, or of SET[@SNAPSHOT|@GENERATION] in detail.",
            discussion: "The same figures are SQL views in the database (setStatistics, pageSizeStatistics, …); see `mmu sql`.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "SET, SET@SNAPSHOT or SET@GENERATION; all sets when omitted.", transform: SetReference.init(parsing:)) var reference: SetReference?
        @Option(help: "Also rebuild the set's page table in these formats (comma-separated) and report each footprint and translation cost.")
        var tables: String?
        @OptionGroup var cost: CostOptions
        @OptionGroup var output: OutputOptions

        /// The formats of `--tables`.
        func formats() throws -> [PageTableFormat] {
            try (tables ?? "").split(separator: ",").map { name in
                guard let format = PageTableFormat(named: String(name)) else {
                    throw ValidationError("unknown format '\(name)' (see `mmu formats`)")
                }
                return format
            }
        }

        func validate() throws {
            if tables != nil && reference == nil { throw ValidationError("--tables needs a SET") }
            _ = try formats()
        }

        /// A format's footprint, or why the set cannot be encoded in it, and the translation cost.
        struct TableReport {
            let format: String
            let footprint: TableFootprint?
            let error: String?
            let cost: TranslationCost
        }

        func run() throws {
            let opened = try store.openForReading()
            guard let reference else {
                let all = try opened.sets().map { try opened.statistics(of: $0.name) }
                if output.json {
                    for statistics in all { try Output.jsonLine(JSONStatistics(statistics: statistics, tables: nil)) }
                } else {
                    print(Output.table([["SET", "HEAD", "ENTRIES", "MAPPED", "GLOBAL", "ACCESSED", "DIRTY", "ROWS", "SNAPSHOTS", "TRANSACTIONS"]] + all.map {
                        [$0.setName, "\($0.generation)", "\($0.entries)", Output.bytes($0.bytesMapped), "\($0.globalEntries)", "\($0.accessed ?? 0)", "\($0.dirty ?? 0)", "\($0.storedRows)", "\($0.snapshots)", "\($0.transactions)"]
                    }, rightAligned: Set(1...9)))
                }
                return
            }
            guard reference.file == nil else { throw ValidationError("stats reads the database given by --database, not FILE:") }
            let statistics = try opened.statistics(of: reference.set, at: reference.version)
            let formats = try formats()
            var reports: [TableReport] = []
            if !formats.isEmpty {
                let set = try opened.translationSet(named: reference.set, at: reference.version)
                for format in formats {
                    let cost = cost.cost(of: set, in: format)
                    do {
                        reports.append(TableReport(format: format.name, footprint: try format.makeTable(for: set).footprint, error: nil, cost: cost))
                    } catch PageTableError.unrepresentable(let rejected, _) {
                        let first = rejected.first.map { " (first: \($0.entry.virtualAddress) \($0.entry.size), \($0.reason))" } ?? ""
                        reports.append(TableReport(format: format.name, footprint: nil, error: "\(Output.count(rejected.count, "entry", "entries")) it cannot hold\(first)", cost: cost))
                    } catch {
                        reports.append(TableReport(format: format.name, footprint: nil, error: "\(error)", cost: cost))
                    }
                }
            }
            if output.json {
                try Output.jsonLine(JSONStatistics(
                    statistics: statistics,
                    tables: formats.isEmpty ? nil : reports.map {
                        JSONStatistics.Table(format: $0.format, footprint: $0.footprint.map(JSONFootprint.init), error: $0.error, cost: JSONCost($0.cost))
                    }))
                return
            }
            let generation = statistics.version == "generation \(statistics.generation)" ? "" : " (generation \(statistics.generation))"
            print("set '\(statistics.setName)' at \(statistics.version)\(generation)")
            print("  \(Output.count(statistics.entries, "entry", "entries")) mapping \(Output.bytes(statistics.bytesMapped)); \(Output.count(statistics.globalEntries, "global entry", "global entries")) (\(Output.bytes(statistics.globalBytes))) shared with every set")
            if let accessed = statistics.accessed, let dirty = statistics.dirty {
                print("  \(accessed) accessed, \(dirty) dirty")
            }
            print("  \(Output.count(statistics.storedRows, "row")) stored (live and history), \(Output.count(statistics.snapshots, "snapshot")), \(Output.count(statistics.transactions, "transaction"))")
            print("by page size:")
            print(Output.table(statistics.bySize.map { ["  \($0.size)", "\($0.entries)", Output.bytes($0.bytes)] }, rightAligned: [1, 2]))
            print("by protection:")
            print(Output.table(statistics.byProtection.map { ["  \($0.protection)", "\($0.entries)", Output.bytes($0.bytes)] }, rightAligned: [1, 2]))
            if !reports.isEmpty {
                print("page tables:")
                print(Output.table([["  FORMAT", "TABLE PAGES", "BYTES", "FILL", "LOAD", "PROBES"]] + reports.map { report in
                    guard let footprint = report.footprint else { return ["  \(report.format)", "cannot encode: \(report.error ?? "")"] }
                    return [
                        "  \(report.format)", "\(footprint.tablePages)", Output.bytes(UInt64(footprint.byteCount)), Build.percent(footprint.fillRatio),
                        footprint.loadFactor.map(Build.percent) ?? "-", footprint.averageProbes.map { String(format: "%.2f", $0) } ?? "-",
                    ]
                }, rightAligned: Set(1...5)))
                print(Self.describeCosts(reports.map(\.cost), host: "\(cost.host.format.name) with \(cost.host.pageSize) pages", tlb: cost.tlb))
            }
        }

        /// The translation costs for people: references per miss, TLB reach, what each format cannot express.
        static func describeCosts(_ costs: [TranslationCost], host: String, tlb: TLBConfiguration) -> String {
            func figure(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "-" }
            var lines = ["translation cost (nested walks under \(host); TLB \(tlb)):"]
            lines.append(Output.table([["  FORMAT", "REFS/MISS", "NESTED", "TLB REACH", "COVERAGE", "CANNOT EXPRESS"]] + costs.map { cost in
                [
                    "  \(cost.format)", figure(cost.averageNativeReferences), figure(cost.averageNestedReferences), Output.bytes(cost.tlbReach),
                    Build.percent(cost.tlbCoverage),
                    cost.losses.isEmpty ? "-" : cost.losses.map { "\($0.reason): \($0.entries)" }.joined(separator: "; "),
                ]
            }, rightAligned: [1, 2, 3, 4]))
            return lines.joined(separator: "\n")
        }
    }

    /// `mmu sql`: a user's query, strictly read-only.
    struct SQL: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sql",
            abstract: "Run one read-only SQL query on the database: an aligned table, --csv or --json.",
            discussion: """
                Views for people: liveEntry, entryVersion, setStatistics, pageSizeStatistics, protectionStatistics, \
                pageHeat, snapshotList, transactionHistory, liveArea. Anything that would write, attach or load an \
                extension is refused before it runs. Give - as the query to read it from standard input. Examples:
                  mmu sql "SELECT setName, virtualAddress, accesses FROM pageHeat ORDER BY accesses DESC LIMIT 10"
                  mmu sql - < report.sql
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "The query, or - to read it from standard input.") var query: String
        @Flag(help: "Print comma-separated values.") var csv = false
        @Option(help: "Interrupt the query after this many seconds.") var timeout: Double = 60
        @OptionGroup var output: OutputOptions

        func run() throws {
            let text = query == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : query
            let result = try store.openForReading().query(text, timeout: timeout)
            if output.json {
                if let repeated = result.columns.enumerated().first(where: { result.columns[..<$0.offset].contains($0.element) })?.element {
                    throw CommandFailure("the column name '\(repeated)' appears twice, and --json names each value by its column: give each column its own name (SELECT … AS name)")
                }
                for row in result.rows { try Output.jsonLine(JSONQueryRow(columns: result.columns, values: row)) }
            } else if csv {
                print(([result.columns] + result.rows.map { $0.map(\.description) }).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\n"))
            } else {
                print(Output.table([result.columns] + result.rows.map { $0.map(\.description) }))
                print("(\(Output.count(result.rows.count, "row")))")
            }
        }

        static func csvField(_ text: String) -> String {
            text.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
    }
}
