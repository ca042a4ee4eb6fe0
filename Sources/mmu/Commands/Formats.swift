import ArgumentParser
import MMUArchitectures
import MMUCore

extension MMUCommand {
    /// `mmu formats`: the hardware page-table formats.
    struct Formats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the page-table formats with their page sizes and address widths.")

        @OptionGroup var output: OutputOptions

        struct Row: Encodable {
            let name: String, summary: String, kind: String, pageSizes: [PageSize], virtualAddressBits: Int, physicalAddressBits: Int
        }

        func run() throws {
            let rows = PageTableFormat.all.map {
                Row(
                    name: $0.name, summary: $0.architecture.summary, kind: $0.isRadix ? "radix" : "hashed", pageSizes: $0.pageSizes,
                    virtualAddressBits: $0.virtualAddressBits, physicalAddressBits: $0.physicalAddressBits)
            }
            if output.json {
                for row in rows { try Output.jsonLine(row) }
                return
            }
            print(Output.table([["FORMAT", "KIND", "PAGE SIZES", "VA BITS", "PA BITS", "DESCRIPTION"]] + rows.map {
                [$0.name, $0.kind, $0.pageSizes.map(\.description).joined(separator: ","), "\($0.virtualAddressBits)", "\($0.physicalAddressBits)", $0.summary]
            }))
        }
    }
}
