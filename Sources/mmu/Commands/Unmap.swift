import ArgumentParser
import MMUCore
import MMUStore

extension MMUCommand {
    /// `mmu unmap`: unmaps a range in one transaction.
    struct Unmap: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Unmap a range (one transaction); it must be fully mapped unless --clear.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The set.") var set: String
        @Argument(help: "The first virtual address.", transform: AddressArgument.init(parsing:)) var virtualAddress: AddressArgument
        @Argument(help: "The length in bytes (0x2000, 8192, 8K, 2MiB…; default 4K).", transform: ByteCountParser.byteCount)
        var length: UInt64?
        @Flag(help: "Unmap whatever is mapped in the range; holes are fine.") var clear = false
        @OptionGroup var largePages: LargePageOptions
        @Option(help: "A note for the transaction log.") var label: String?
        @OptionGroup var output: OutputOptions

        func run() throws {
            let (range, commit) = try AddressArgument.hinting([virtualAddress]) {
                let range = try VirtualRange(start: virtualAddress.virtual, byteCount: length ?? PageSize.size4KiB.byteCount)
                return (range, try store.open().update(set: set, label: label) { tx in
                    if clear { try tx.clear(range, largePages: largePages.policy) } else { try tx.unmap(range, largePages: largePages.policy) }
                })
            }
            try Output.print(commit, verb: "unmapped \(range)", json: output.json)
        }
    }

    /// `mmu protect`: changes the protection of a range in one transaction.
    struct Protect: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change the protection of a fully mapped range (one transaction).")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The set.") var set: String
        @Argument(help: "The first virtual address.", transform: AddressArgument.init(parsing:)) var virtualAddress: AddressArgument
        @Argument(help: "The length in bytes (0x2000, 8192, 8K, 2MiB…).", transform: ByteCountParser.byteCount) var length: UInt64
        @Argument(help: "The new protection: four positions rwxu, - for an absent right (r-xu).", transform: Protection.init(parsing:))
        var protection: Protection
        @OptionGroup var largePages: LargePageOptions
        @Option(help: "A note for the transaction log.") var label: String?
        @OptionGroup var output: OutputOptions

        func run() throws {
            let (range, commit) = try AddressArgument.hinting([virtualAddress]) {
                let range = try VirtualRange(start: virtualAddress.virtual, byteCount: length)
                return (range, try store.open().update(set: set, label: label) { tx in
                    try tx.protect(range, protection, largePages: largePages.policy)
                })
            }
            try Output.print(commit, verb: "protected \(range) as \(protection)", json: output.json)
        }
    }

    /// `mmu resize`: promotes or demotes a page (mksize) in one transaction.
    struct Resize: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change the page size at an address (mksize): promote contiguous alike pages, or demote a page.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The set.") var set: String
        @Argument(help: "The virtual address (the page start).", transform: AddressArgument.init(parsing:)) var virtualAddress: AddressArgument
        @Argument(help: "The new page size (4K, 2M, 1G, …).", transform: PageSize.init(parsing:)) var size: PageSize
        @Option(help: "A note for the transaction log.") var label: String?
        @OptionGroup var output: OutputOptions

        func run() throws {
            let commit = try AddressArgument.hinting([virtualAddress]) {
                try store.open().update(set: set, label: label) { tx in try tx.resize(virtualAddress.virtual, to: size) }
            }
            try Output.print(commit, verb: "resized \(virtualAddress.virtual) to \(size)", json: output.json)
        }
    }
}
