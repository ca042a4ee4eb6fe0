import ArgumentParser
import Foundation
import MMUArchitectures
import MMUCore
import MMUStore

extension MMUCommand {
    /// `mmu import`: loads entries from a file into a set, as one transaction.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import entries into a set (created if missing) as one transaction.",
            discussion: """
                --entries FILE reads one entry per line, as `mmu show --json` prints them:
                  {"va":"0x400000","pa":"0x1000","size":"4KiB","protection":"r-xu"}
                --image DIR walks a page-table image written by `mmu export` (or by hand: manifest.json and \
                memory.img) back into canonical entries; a new set declares the image's architecture. \
                Global entries identical to ones the store already shares are skipped.
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "The set to import into.") var set: String
        @Option(help: "A JSON-lines file of entries ('-' for standard input).") var entries: String?
        @Option(help: "A page-table image directory (manifest.json and memory.img).") var image: String?
        @Option(help: "Declare this architecture when the set is created.") var architecture: ArchitectureArgument?
        @Flag(help: "Replace what the imported entries overlap.") var replace = false
        @Option(help: "A note for the transaction log.") var label: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard (entries == nil) != (image == nil) else { throw ValidationError("give exactly one of --entries FILE and --image DIR") }
        }

        func run() throws {
            if let image {
                let imported: TranslationSet
                do {
                    imported = try PageTableImage.readSet(from: URL(fileURLWithPath: image))
                } catch {
                    throw CommandFailure("\(image): \(error); nothing was imported")
                }
                let format = (try? PageTableImage.readManifest(from: URL(fileURLWithPath: image))).flatMap { PageTableFormat(named: $0.format) }
                try load(imported.entries, from: image, architecture: architecture?.architecture ?? format?.architecture)
                return
            }
            let data: Data
            let file = entries ?? "-"
            if file == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                data = try InputFile.contents(of: file)
            }
            let decoder = JSONDecoder()
            var imported: [MMUEntry] = []
            for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                do {
                    imported.append(try decoder.decode(MMUEntry.self, from: Data(trimmed.utf8)))
                } catch {
                    throw CommandFailure("\(file), line \(index + 1): \(Apply.explain(error)); nothing was imported")
                }
            }
            try load(imported, from: file, architecture: architecture?.architecture)
        }

        /// Maps the imported entries into the set in one transaction.
        func load(_ imported: [MMUEntry], from source: String, architecture: Architecture?) throws {
            let opened = try store.open()
            let shared = Set(try opened.translationSet(named: TranslationStore.globalSetName).entries.map(\.withoutAccessState))
            let fresh = imported.filter { !($0.isGlobal && shared.contains($0.withoutAccessState)) }
            let commit = try opened.update(set: set, label: label ?? "import \(source)", creating: .init(architecture: architecture)) { tx in
                try tx.map(contentsOf: fresh, replacing: replace)
            }
            let skipped = imported.count - fresh.count
            try Output.print(commit, verb: "imported \(fresh.count) entries" + (skipped > 0 ? " (\(skipped) global entries already shared)" : ""), json: output.json)
        }
    }
}
