import ArgumentParser
import MMUArchitectures
import MMUStore

/// The options of commands that rebuild a hardware table.
struct TableOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "The page-table format (see `mmu formats`; default: the set's declared architecture).")
    var format: FormatArgument?
    @Flag(help: "Split pages the format cannot map into sizes it can, instead of failing.") var split = false

    var options: BuildOptions { BuildOptions(splitsUnsupportedPages: split) }

    /// The format given with `-f`, else the one of the architecture the set declares.
    ///
    /// - Throws: ``CommandFailure`` naming the formats when the set declares no architecture.
    func format(for set: String, in store: TranslationStore) throws -> PageTableFormat {
        if let format { return format.format }
        let info = try store.set(named: set)
        guard let name = info.architectureName, let format = PageTableFormat(named: name) else {
            throw CommandFailure(
                "set '\(set)' declares no architecture: choose a format with -f (\(PageTableFormat.all.map(\.name).joined(separator: ", ")))")
        }
        return format
    }
}
