import ArgumentParser
import MMUCore
import MMUStore

extension MMUCommand {
    /// `mmu sets`: lists and manages translation sets.
    struct Sets: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List, create, rename, duplicate (fork) and delete translation sets.",
            subcommands: [List.self, Create.self, Rename.self, Duplicate.self, Delete.self],
            defaultSubcommand: List.self)
    }
}

extension MMUCommand.Sets {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the sets.")

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Flag(help: "Include the store-wide global set.") var global = false

        func run() throws {
            let sets = try store.openForReading().sets(includingGlobal: global)
            if output.json {
                for set in sets { try Output.jsonLine(JSONSet(set)) }
                return
            }
            guard !sets.isEmpty else {
                print("no sets yet (create one with `mmu sets create NAME`)")
                return
            }
            let rows = [["NAME", "ARCHITECTURE", "HEAD", "CREATED"]]
                + sets.map { [$0.name, $0.architectureName ?? "-", $0.headGeneration < 0 ? "-" : "\($0.headGeneration)", $0.createdAt] }
            print(Output.table(rows))
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an empty set.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The new set's name.") var name: String
        @Option(name: .long, help: "Check every transaction against this architecture (see `mmu formats`).")
        var architecture: ArchitectureArgument?

        func run() throws {
            let set = try store.open().createSet(named: name, architecture: architecture?.architecture)
            print("created set '\(set.name)'" + (set.architectureName.map { " for \($0)" } ?? ""))
        }
    }

    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename a set.")

        @OptionGroup var store: StoreOptions
        @Argument var name: String
        @Argument var newName: String

        func run() throws {
            try store.open().renameSet(named: name, to: newName)
            print("renamed set '\(name)' to '\(newName)'")
        }
    }

    struct Duplicate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Duplicate a set as it is (or was, SET@SNAPSHOT or SET@GENERATION) into a new set: a fork.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "SET, SET@SNAPSHOT or SET@GENERATION.", transform: SetReference.init(parsing:)) var source: SetReference
        @Argument(help: "The new set's name.") var newName: String

        func run() throws {
            let set = try store.open().duplicateSet(named: source.set, as: newName, at: source.version)
            print("duplicated \(source) into set '\(set.name)'")
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a set with its history and snapshots (its log rows stay).")

        @OptionGroup var store: StoreOptions
        @Argument var name: String

        func run() throws {
            try store.open().deleteSet(named: name)
            print("deleted set '\(name)'")
        }
    }
}
