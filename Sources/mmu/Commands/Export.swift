import ArgumentParser
import Foundation
import MMUArchitectures
import MMUOperations
import MMUStore

extension MMUCommand {
    /// `mmu export`: writes a rebuilt table as a physical memory image with a manifest.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the rebuilt hardware table as manifest.json plus a sparse memory.img (table pages at their physical offsets).",
            discussion: "Emulators and forensic tools can walk the image; `mmu import --image DIR` reads it back.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "SET, SET@SNAPSHOT or SET@GENERATION.", transform: SetReference.init(parsing:)) var reference: SetReference
        @OptionGroup var table: TableOptions
        @Option(name: .shortAndLong, help: "The directory to write: a new path or an empty directory.") var output: String
        @Option(help: "Whose habits the export follows: mmustore (its fixed registers) or linux (x86-64: Linux's registers, table flags, PAT encoding, A and D as recorded; AArch64: PXN on every user page; RISC-V: sstatus.SUM = 0).")
        var convention: ExportConvention = .mmustore
        @Flag(help: "Print the manifest as JSON.") var json = false

        func run() throws {
            guard reference.file == nil else { throw ValidationError("export reads the database given by --database, not FILE:") }
            try OutputDirectory.requireFresh(output, command: "export", holding: "(manifest.json and memory.img)")
            let opened = try store.openForReading()
            let format = try table.format(for: reference.set, in: opened)
            let head = try opened.set(named: reference.set).headGeneration
            let image = try Progress.during("exporting \(reference) as \(format.name) to \(output)") {
                let built = try opened.build(set: reference.set, at: reference.version, format: format, options: table.options)
                var image = built.image()
                if convention != .mmustore {
                    image = try image.following(convention, entries: try opened.translationSet(named: reference.set, at: reference.version).entries)
                }
                // Accessed and dirty bits are not versioned: only the head has them.
                let atHead = reference.version == .head || reference.version == .generation(head)
                image.manifest.parameters["accessBits"] = atHead ? "recorded" : "cleared"
                try image.write(to: URL(fileURLWithPath: output))
                return image
            }
            if json {
                try Output.jsonLine(JSONManifest(image.manifest))
            } else {
                print("exported \(reference) as \(image.manifest.format) to \(output): \(Output.count(image.manifest.entries, "entry", "entries")) in \(Output.count(image.manifest.tablePages.count, "table page")); root \(image.manifest.root.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))")
                if image.manifest.parameters["accessBits"] == "cleared" {
                    print("note: accessed and dirty bits are kept for the head only, so this export of \(reference) has them all clear")
                }
            }
        }
    }
}
