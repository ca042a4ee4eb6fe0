import ArgumentParser
import MMUArchitectures

/// The options of commands that rebuild a hardware table.
struct TableOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "The page-table format (see `mmu formats`).") var format: FormatArgument
    @Flag(help: "Split pages the format cannot map into sizes it can, instead of failing.") var split = false

    var options: BuildOptions { BuildOptions(splitsUnsupportedPages: split) }
}
