import ArgumentParser
import Foundation
import MMUArchitectures
import MMUOperations
import MMUStore

extension MMUCommand {
    /// `mmu build`: rebuilds a set's hardware table and reports its footprint.
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild the hardware page table of SET[@SNAPSHOT|@GENERATION] in a format and report its footprint.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "SET, SET@SNAPSHOT or SET@GENERATION.", transform: SetReference.init(parsing:)) var reference: SetReference
        @OptionGroup var table: TableOptions
        @OptionGroup var output: OutputOptions

        struct Report: Encodable {
            let set: String, format: String, entries: Int, seconds: Double, footprint: JSONFootprint
        }

        func run() throws {
            guard reference.file == nil else { throw ValidationError("build reads the database given by --database, not FILE:") }
            let clock = ContinuousClock()
            let start = clock.now
            let opened = try store.openForReading()
            let format = try table.format(for: reference.set, in: opened)
            let built = try opened.build(set: reference.set, at: reference.version, format: format, options: table.options)
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let footprint = try built.footprint
            let report = Report(set: reference.description, format: format.name, entries: built.entryCount, seconds: seconds, footprint: JSONFootprint(footprint))
            if output.json {
                try Output.jsonLine(report)
            } else {
                print(Self.describe(footprint, of: reference.description, format: format.name, entries: built.entryCount))
                print(String(format: "loaded and built in %.3f s", seconds))
            }
        }

        /// The footprint for people: a line, then one row per level.
        static func describe(_ footprint: TableFootprint, of set: String, format: String, entries: Int) -> String {
            var lines = ["\(set) as \(format): \(Output.count(entries, "entry", "entries")) in \(Output.count(footprint.tablePages, "table page")) (\(Output.bytes(UInt64(footprint.byteCount)))), fill \(percent(footprint.fillRatio))"]
            if let load = footprint.loadFactor {
                lines.append("load factor \(percent(load)), probes per lookup \(String(format: "%.2f", footprint.averageProbes ?? 0)) on average, \(footprint.maximumProbes ?? 0) at most")
            }
            lines.append(Output.table([["LEVEL", "PAGES", "SLOTS", "USED", "FILL"]] + footprint.levels.map {
                [$0.name, "\($0.tablePages)", "\($0.slots)", "\($0.usedSlots)", percent($0.fillRatio)]
            }, rightAligned: [1, 2, 3, 4]))
            return lines.joined(separator: "\n")
        }

        static func percent(_ ratio: Double) -> String { String(format: "%.1f%%", ratio * 100) }
    }
}
