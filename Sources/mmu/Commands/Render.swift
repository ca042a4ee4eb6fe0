import ArgumentParser
import Foundation
import MMUArchitectures
import MMUCore
import MMURender
import MMUStore

extension MMUCommand {
    /// `mmu render`: the address-space map as one self-contained HTML page, or a static SVG.
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw SET[@SNAPSHOT|@GENERATION] as one self-contained HTML page (map, history, heat, diff) or, with --svg, a static SVG.",
            discussion: """
                The page holds its data, style and script inline and fetches nothing: open it from disk in any \
                current browser. The map compresses unmapped gaps (the canonical hole, the space between areas), \
                colours entries by page size or protection, marks global entries, shows the page counters as a \
                heat track and the memory areas by name; wheel zooms, drag pans, hover shows the entry. The \
                history view draws every stored version (address down, generation across); click a generation \
                to redraw the map at it. --compare B adds how B differs from the rendered version, the changes \
                `mmu diff` reports. A side given as FILE:SET is another database, opened read-only through the \
                safe opener. The output is written whole or not at all.
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "SET, SET@SNAPSHOT or SET@GENERATION (FILE:SET… reads another database).", transform: SetReference.init(parsing:))
        var reference: SetReference
        @Option(name: .shortAndLong, help: "The file to write (default: SET.html, or SET.svg with --svg).") var output: String?
        @Flag(help: "Write a static SVG picture of the map instead of the interactive page.") var svg = false
        @Option(help: "Colour entries by page size or protection (the page starts with it; --svg draws it).") var colour: Colouring = .size
        @Option(help: "Also show how this side differs from the rendered version: [FILE:]SET[@SNAPSHOT|@GENERATION].", transform: SetReference.init(parsing:))
        var compare: SetReference?
        @Flag(help: "Leave out the history view: draw only the rendered version's entries.") var noHistory = false
        @Option(help: "The most runs of entries the page may hold.") var maxRuns = AddressSpaceMap.defaultMaximumRuns
        @Option(help: "The formats of the cost table, comma-separated, all (a table build each), or none (default: the set's architecture, else x86_64-4level).")
        var tables: String?
        @OptionGroup var cost: CostOptions
        @Flag(help: "Replace the output file if it exists.") var force = false

        enum Colouring: String, ExpressibleByArgument, CaseIterable {
            case size, protection
        }

        /// The formats of `--tables`.
        func formats() throws -> [PageTableFormat]? {
            switch tables {
            case nil: return nil
            case "all": return PageTableFormat.all
            case "none": return []
            default:
                return try (tables ?? "").split(separator: ",").map { name in
                    guard let format = PageTableFormat(named: String(name)) else {
                        throw ValidationError("unknown format '\(name)' in --tables (see `mmu formats`; or all, or none)")
                    }
                    return format
                }
            }
        }

        func validate() throws {
            if maxRuns < 1 { throw ValidationError("--max-runs must be at least 1") }
            _ = try formats()
            if output == nil, reference.set.contains("/") || reference.set.hasPrefix(".") {
                throw ValidationError("set '\(TerminalText.escaped(reference.set))' does not make a file name: give one with -o")
            }
        }

        func run() throws {
            let path = output ?? reference.set + (svg ? ".svg" : ".html")
            if !force, RenderFile.exists(path) {
                throw CommandFailure("\(RenderError.outputExists(path: path))")
            }
            var opened: [String: TranslationStore] = [:]
            let own = TranslationStore.absolutePath(store.path)
            func open(_ side: SetReference) throws -> (String, TranslationStore) {
                let file = side.file.map(TranslationStore.absolutePath) ?? own
                if let cached = opened[file] { return (file, cached) }
                let result = file == own ? try store.openForReading() : try TranslationStore.openUntrusted(path: file)
                opened[file] = result
                return (file, result)
            }
            let (file, source) = try open(reference)
            var comparison: AddressSpaceMap.Comparison?
            if let compare {
                let (otherFile, other) = try open(compare)
                let difference =
                    otherFile == file && compare.set == reference.set
                    ? try source.difference(of: reference.set, from: reference.version, to: compare.version)
                    : try other.translationSet(named: compare.set, at: compare.version).difference(
                        from: try source.translationSet(named: reference.set, at: reference.version))
                comparison = AddressSpaceMap.Comparison(label: compare.description, difference: difference)
            }
            let map = try AddressSpaceMap(
                store: source, set: reference.set, at: reference.version, comparison: comparison,
                options: AddressSpaceMap.Options(
                    includesHistory: !noHistory, maximumRuns: maxRuns, costFormats: try formats(), host: (cost.host.format, cost.host.pageSize),
                    tlb: cost.tlb))
            let text = svg ? map.svg(colouring: colour == .protection ? .protection : .size) : map.html(colouring: colour == .protection ? .protection : .size)
            do {
                try RenderFile.write(text, to: path, replacing: force)
            } catch {
                throw CommandFailure("\(error)")
            }
            print("wrote \(TerminalText.escaped(path)) (\(Output.bytes(UInt64(text.utf8.count)))): \(TerminalText.escaped(map.summaryLine))")
        }
    }
}
