import ArgumentParser
import MMUStore
import MMUTraces

extension MMUCommand {
    /// `mmu snapshot`: names the current state of a set.
    struct Snapshot: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Name the current state of a set (O(1)), or delete a snapshot with --delete.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The set.") var set: String
        @Argument(help: "The snapshot's name (not all digits).") var name: String
        @Flag(help: "Delete the snapshot instead.") var delete = false
        @OptionGroup var output: OutputOptions

        func run() throws {
            let opened = try store.open()
            if delete {
                try opened.deleteSnapshot(named: name, of: set)
                print("deleted snapshot '\(name)' of set '\(set)'")
                return
            }
            let snapshot = try opened.createSnapshot(named: name, of: set)
            if output.json { try Output.jsonLine(JSONSnapshot(snapshot)) } else {
                print("snapshot '\(snapshot.name)' of set '\(set)' names generation \(snapshot.generation)")
            }
        }
    }

    /// `mmu snapshots`: lists a set's snapshots.
    struct Snapshots: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the snapshots of a set.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The set.") var set: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            let snapshots = try store.openForReading().snapshots(of: set).map(ListedSnapshot.init)
            if output.json {
                for listed in snapshots { try Output.jsonLine(JSONSnapshot(listed.snapshot, trace: listed.trace)) }
            } else if snapshots.isEmpty {
                print("set '\(set)' has no snapshots")
            } else {
                print(
                    Output.table(
                        [["NAME", "GENERATION", "CREATED", "TRACE"]]
                            + snapshots.map { listed in
                                let trace = listed.trace.map { "\(TraceError.escaped($0.file)):\($0.line) (byte \($0.byteOffset))" }
                                return [listed.snapshot.name, "\(listed.snapshot.generation)", listed.snapshot.createdAt, trace ?? "-"]
                            }))
            }
        }
    }
}
