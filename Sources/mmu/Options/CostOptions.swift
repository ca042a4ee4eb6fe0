import ArgumentParser
import MMUArchitectures
import MMUCore

/// The options of the cost figures (`mmu stats --tables`, `mmu render`): the host of the nested
/// walk and the TLB whose reach is reported.
struct CostOptions: ParsableArguments {
    @Option(help: "The host format of the nested (2-D) walk, with the page size backing guest memory: F or F:SIZE (default x86_64-4level:4K).", transform: HostArgument.init(parsing:))
    var host: HostArgument = HostArgument(format: .x86_64FourLevel, pageSize: .size4KiB)
    @Option(help: "The TLB whose reach is reported: SIZE:ENTRIES,… (default 4K:64,2M:32,1G:4).", transform: { text in try TLBConfiguration(parsing: text) })
    var tlb: TLBConfiguration = .example

    /// The cost of `set` in `format` under these options.
    func cost(of set: TranslationSet, in format: PageTableFormat) -> TranslationCost {
        TranslationCost(of: set, in: format, host: (host.format, host.pageSize), tlb: tlb)
    }
}

/// `F` or `F:SIZE`: a host format and the page size it backs guest memory with.
struct HostArgument {
    let format: PageTableFormat
    let pageSize: PageSize

    init(format: PageTableFormat, pageSize: PageSize) {
        self.format = format
        self.pageSize = pageSize
    }

    /// Parses `F` or `F:SIZE`.
    ///
    /// - Throws: ``CommandFailure`` naming the formats or the sizes the format maps.
    init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let name = parts.first, let format = PageTableFormat(named: name) else {
            throw CommandFailure("unknown host format '\(text)': write F or F:SIZE with F one of \(PageTableFormat.all.map(\.name).joined(separator: ", "))")
        }
        let size = parts.count > 1 ? try PageSize(parsing: parts[1]) : .size4KiB
        guard format.pageSizes.contains(size) else {
            throw CommandFailure("host format \(format.name) cannot map \(size) pages: write one of \(format.pageSizes.map { "\(format.name):\($0)" }.joined(separator: ", "))")
        }
        self.format = format
        self.pageSize = size
    }
}

extension PageTableFormat {
    /// x86-64 with 4-level paging, the default host.
    static let x86_64FourLevel = PageTableFormat.all[0]
}
