import ArgumentParser
import MMUCore
import MMUStore

extension MMUCommand {
    /// `mmu map`: maps pages in one transaction.
    struct Map: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Map pages (one transaction).",
            discussion: "With --count N, maps N consecutive pages to N consecutive frames.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The set.") var set: String
        @Argument(help: "The virtual address (0x hexadecimal; plain digits are decimal).", transform: AddressArgument.init(parsing:))
        var virtualAddress: AddressArgument
        @Argument(help: "The physical address.", transform: AddressArgument.init(parsing:)) var physicalAddress: AddressArgument
        @Option(name: .shortAndLong, help: "The page size: 4K, 2M, 1G, 4KiB, … (default: 4K).", transform: PageSize.init(parsing:))
        var size: PageSize = .size4KiB
        @Option(name: .shortAndLong, help: "The protection: four positions rwxu, - for an absent right, e.g. r-xu, rw-- (default: rw-u).", transform: Protection.init(parsing:))
        var protection: Protection = [.read, .write, .user]
        @Option(help: "The cache mode: wb, wt, wc or uc.") var cache: CacheMode = .writeBack
        @Flag(help: "Make the entries global (seen by every set).") var global = false
        @Flag(help: "Replace whatever the new pages overlap.") var replace = false
        @OptionGroup var largePages: LargePageOptions
        @Option(help: "Map this many consecutive pages.") var count: UInt64 = 1
        @Option(help: "A note for the transaction log.") var label: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard count >= 1, count <= 1 << 24 else { throw ValidationError("--count must be between 1 and 16777216") }
        }

        func run() throws {
            var entries: [MMUEntry] = []
            for index in 0..<count {
                let offset = index * size.byteCount
                guard let va = virtualAddress.virtual.advanced(by: offset), let pa = physicalAddress.physical.advanced(by: offset) else {
                    throw ValidationError("page \(index) of \(count) passes the end of the address space")
                }
                entries.append(MMUEntry(va, to: pa, size: size, protection: protection, attributes: global ? .global : [], cacheMode: cache))
            }
            let commit = try AddressArgument.hinting([virtualAddress, physicalAddress]) {
                try store.open().update(set: set, label: label) { tx in
                    if entries.count == 1 {
                        try tx.map(entries[0], replacing: replace, largePages: largePages.policy)
                    } else {
                        try tx.map(contentsOf: entries, replacing: replace, largePages: largePages.policy)
                    }
                }
            }
            try Output.print(commit, verb: "mapped \(Output.count(Int(count), "page"))", json: output.json)
        }
    }
}
