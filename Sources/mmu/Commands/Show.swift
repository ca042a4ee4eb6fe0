import ArgumentParser
import MMUCore
import MMUStore

extension MMUCommand {
    /// `mmu show`: prints a set's entries at a version.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a set's entries at its head, a snapshot or a generation, coalesced into runs.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "SET, SET@SNAPSHOT or SET@GENERATION.", transform: SetReference.init(parsing:)) var reference: SetReference
        @Flag(help: "One line per entry instead of runs.") var entries = false
        @Flag(help: "Also list the memory areas (VMAs), each with what is resident in it: bytes, entries per page size, accessed and dirty counts (as pmap -X).") var areas = false
        @OptionGroup var output: OutputOptions

        func run() throws {
            guard reference.file == nil else { throw ValidationError("show reads the database given by --database, not FILE:") }
            let opened = try store.openForReading()
            let info = try opened.set(named: reference.set)
            let set = try opened.translationSet(named: reference.set, at: reference.version)
            if output.json {
                for entry in set.entries { try Output.jsonLine(JSONShowRecord.entry(entry)) }
                if areas { for residency in set.areaResidency() { try Output.jsonLine(JSONShowRecord.area(residency)) } }
                return
            }
            print("set '\(info.name)' at \(reference.version) (head generation \(info.headGeneration)\(info.architectureName.map { ", \($0)" } ?? "")): \(Output.count(set.count, "entry", "entries")), \(Output.bytes(set.byteCount)) mapped")
            let rows: [[String]] =
                entries
                ? set.entries.map { entry in
                    [entry.range.description, "->", "\(entry.physicalAddress)", "\(entry.size)", "\(entry.protection)", Self.flags(entry)]
                }
                : set.entries.runs().map { run in
                    [run.range.description, "->", "\(run.first.physicalAddress)", "\(run.count) x \(run.first.size)", "\(run.first.protection)", Self.flags(run.first)]
                }
            if !rows.isEmpty { print(Output.table(rows)) }
            if areas {
                print("memory areas, with what is resident in each (as pmap -X):")
                print(Output.table([["RANGE", "PROT", "KIND", "SHARING", "SIZE", "RSS", "ENTRIES", "ACCESSED", "DIRTY", "NAME"]] + set.areaResidency().map { residency in
                    let area = residency.area
                    let entries = residency.entriesBySize.sorted { $0.key < $1.key }.map { "\($0.value)x\($0.key)" }.joined(separator: " ")
                    return [
                        area.range.description, "\(area.protection)", area.kind.rawValue, area.isShared ? "shared" : "private", Output.bytes(area.range.byteCount),
                        Output.bytes(residency.residentBytes), entries.isEmpty ? "-" : entries, "\(residency.accessed)", "\(residency.dirty)",
                        TerminalText.escaped(area.name),
                    ]
                }, rightAligned: [4, 5, 7, 8]))
            }
        }

        static func flags(_ entry: MMUEntry) -> String {
            var flags: [String] = []
            if entry.cacheMode != .writeBack { flags.append(entry.cacheMode.rawValue) }
            if !entry.attributes.isEmpty { flags.append(entry.attributes.description) }
            return flags.joined(separator: " ")
        }
    }
}
