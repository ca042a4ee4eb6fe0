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
            let file = entries ?? "-"
            let source = file == "-" ? "<stdin>" : file
            let read: EntryLines
            do {
                if file == "-" {
                    read = try Progress.during("reading \(source)") { try EntryLines(descriptor: STDIN_FILENO, name: source) }
                } else {
                    var meter: Progress.Meter?
                    defer { meter?.progress.clear() }
                    read = try EntryLines(path: file) { done, size in
                        if meter == nil { meter = Progress.onTerminal?.meter("reading \(source)", total: size, unit: "bytes") }
                        meter?.update(done)
                    }
                }
            } catch let error as EntryLinesError {
                switch error {
                case .file(let message):
                    throw CommandFailure(message)
                case .line(let line, let error):
                    throw CommandFailure("\(source):\(line): \(Apply.explain(error)); nothing was imported")
                case .lineTooLong(let line):
                    throw CommandFailure("\(source):\(line): longer than \(EntryLines.lineLimit) bytes; nothing was imported")
                }
            }
            let imported = read.entries, lines = read.lines
            try load(imported, lines: lines, from: source, architecture: architecture?.architecture)
        }

        /// Maps the imported entries into the set in one transaction. When it is refused and
        /// `lines` numbers the entries, the entries are mapped again one at a time in a
        /// transaction that is rolled back, to name the line of the one refused.
        func load(_ imported: [MMUEntry], lines: [Int] = [], from source: String, architecture: Architecture?) throws {
            let opened = try store.open()
            let label = label ?? "import \(source)"
            let commit: Commit
            var skipped = 0
            do {
                commit = try Progress.during("writing \(Output.count(imported.count, "entry", "entries")) to set '\(set)'") {
                    try opened.update(set: set, label: label, creating: .init(architecture: architecture)) { tx in
                        skipped = try tx.mapImported(imported, replacing: replace).count
                    }
                }
            } catch let error as StoreError where error.code == .mapping && !lines.isEmpty {
                var culprit: (line: Int, message: String)?
                do {
                    try opened.update(set: set, label: label, creating: .init(architecture: architecture)) { tx in
                        for index in imported.indices where try !tx.isAlreadyShared(imported[index]) {
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
            try Output.print(commit, verb: "imported \(Output.count(imported.count - skipped, "entry", "entries"))" + (skipped > 0 ? " (\(Output.count(skipped, "global entry", "global entries")) already shared)" : ""), json: output.json)
        }

        /// Thrown to roll back the transaction that looks for the refused entry.
        private struct RolledBack: Error {}
    }
}
