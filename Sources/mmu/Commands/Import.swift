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
                A malformed line or a refused entry is reported as FILE:LINE: message, and nothing is imported.
                --image DIR walks a page-table image written by `mmu export` (or by hand: manifest.json and \
                memory.img) back into canonical entries; a new set declares the image's architecture. \
                Global entries identical to ones the store already shares are skipped.
                --dump FILE walks the x86-64 page tables (4- or 5-level, from CR4.LA57) of a guest memory dump: QEMU's \
                ELF core or a raw physical image, at the processor's CR3 or --root; see the README.
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "The set to import into.") var set: String
        @Option(help: "A JSON-lines file of entries ('-' for standard input).") var entries: String?
        @Option(help: "A page-table image directory (manifest.json and memory.img).") var image: String?
        @OptionGroup var dumpOptions: DumpOptions
        @Option(help: "Declare this architecture when the set is created.") var architecture: ArchitectureArgument?
        @Flag(help: "Replace what the imported entries overlap.") var replace = false
        @Option(help: "A note for the transaction log.") var label: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard [entries, image, dumpOptions.dump].compactMap({ $0 }).count == 1 else {
                throw ValidationError("give exactly one of --entries FILE, --image DIR and --dump FILE")
            }
        }

        func run() throws {
            if let dump = dumpOptions.dump {
                try importDump(dump)
                return
            }
            if let image {
                let imported: TranslationSet
                do {
                    imported = try Progress.during("reading the image \(image)") { try PageTableImage.readSet(from: URL(fileURLWithPath: image)) }
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
            let source = file == "-" ? "<stdin>" : file
            let decoder = JSONDecoder()
            var imported: [MMUEntry] = []
            var lines: [Int] = []
            let text = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            var meter = Progress.onTerminal?.meter("reading \(source)", total: text.count - (text.last?.isEmpty == true ? 1 : 0), unit: "lines")
            for (index, line) in text.enumerated() {
                meter?.update(index)
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                do {
                    imported.append(try decoder.decode(MMUEntry.self, from: Data(trimmed.utf8)))
                    lines.append(index + 1)
                } catch {
                    meter?.progress.clear()
                    throw CommandFailure("\(source):\(index + 1): \(Apply.explain(error)); nothing was imported")
                }
            }
            meter?.progress.clear()
            try load(imported, lines: lines, from: source, architecture: architecture?.architecture)
        }

        /// Maps the imported entries into the set in one transaction. When it is refused and
        /// `lines` numbers the entries, the entries are mapped again one at a time in a
        /// transaction that is rolled back, to name the line of the one refused.
        func load(_ imported: [MMUEntry], lines: [Int] = [], from source: String, architecture: Architecture?) throws {
            let opened = try store.open()
            let shared = Set(try opened.translationSet(named: TranslationStore.globalSetName).entries.map(\.withoutAccessState))
            let kept = imported.indices.filter { !(imported[$0].isGlobal && shared.contains(imported[$0].withoutAccessState)) }
            let fresh = kept.map { imported[$0] }
            let label = label ?? "import \(source)"
            let commit: Commit
            do {
                commit = try Progress.during("writing \(Output.count(fresh.count, "entry", "entries")) to set '\(set)'") {
                    try opened.update(set: set, label: label, creating: .init(architecture: architecture)) { tx in
                        try tx.map(contentsOf: fresh, replacing: replace)
                    }
                }
            } catch let error as StoreError where error.code == .mapping && !lines.isEmpty {
                var culprit: (line: Int, message: String)?
                do {
                    try opened.update(set: set, label: label, creating: .init(architecture: architecture)) { tx in
                        for index in kept {
                            do {
                                try tx.map(imported[index], replacing: replace)
                            } catch {
                                culprit = (lines[index], "\(error)")
                                break
                            }
                        }
                        throw RolledBack()
                    }
                } catch is RolledBack {}
                guard let culprit else { throw CommandFailure("\(source): \(error.message); nothing was imported") }
                throw CommandFailure("\(source):\(culprit.line): \(culprit.message); nothing was imported")
            }
            let skipped = imported.count - fresh.count
            try Output.print(commit, verb: "imported \(Output.count(fresh.count, "entry", "entries"))" + (skipped > 0 ? " (\(Output.count(skipped, "global entry", "global entries")) already shared)" : ""), json: output.json)
        }

        /// Thrown to roll back the transaction that looks for the refused entry.
        private struct RolledBack: Error {}
    }
}
