import ArgumentParser
import Foundation
import MMUArchitectures
import MMUStore

extension MMUCommand {
    /// `mmu export`: writes a rebuilt table as a physical memory image with a manifest.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the rebuilt hardware table as manifest.json plus a sparse memory.img (table pages at their physical offsets).",
            discussion: "Emulators and forensic tools can walk the image; `mmu import --image DIR` reads it back.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "SET, SET@SNAPSHOT or SET@GENERATION.") var reference: SetReference
        @OptionGroup var table: TableOptions
        @Option(name: .shortAndLong, help: "The directory to write (created if missing).") var output: String
        @Flag(help: "Print the manifest as JSON.") var json = false

        func run() throws {
            guard reference.file == nil else { throw ValidationError("export reads the database given by --database, not FILE:") }
            let built = try store.openForReading().build(set: reference.set, at: reference.version, format: table.format.format, options: table.options)
            let image = built.image()
            try image.write(to: URL(fileURLWithPath: output))
            if json {
                try Output.jsonLine(image.manifest)
            } else {
                print("exported \(reference) as \(image.manifest.format) to \(output): \(image.manifest.entries) entries in \(image.manifest.tablePages.count) table pages; root \(image.manifest.root.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))")
            }
        }
    }
}
