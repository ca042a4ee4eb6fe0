import ArgumentParser
import CrashHarness
import Foundation
import MMUStore

/// `run`: the steps of a ``Workload`` over the fault VFS, with one scheduled fault.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run workload steps over the fault VFS; print ACK STEP after each, then STATS.",
        discussion: "Exits 0 when every step returned, 3 after printing ERROR CODE MESSAGE, 77 or 78 when the fault ended it.")

    @Option(help: "The store file (it must exist).") var store: String
    @Option(help: "walFull, deleteExtra or walNormal.") var durability: String = "walFull"
    @Option(help: "singleMap, mixedBatch, bulkMap, snapshot or compaction.") var workload: String
    @Option(help: "How many steps to run.") var steps: Int = 1
    @Option(help: "count, transient, persistent, diskFull, exit or powerCut.") var fault: String = "count"
    @Option(help: "The masked operation the fault hits (from 1; 0 for none).") var at: Int64 = 0
    @Option(help: "The masked kinds: all, or a list of write,sync,truncate,read,open,delete,shm.") var operations: String = "all"
    @Flag(help: "Arm the fault after the store is open, so that opening is not counted.") var armAfterOpen = false

    func run() throws {
        guard let durability = TranslationStore.Durability(rawValue: durability) else {
            throw ValidationError("unknown durability '\(durability)'")
        }
        guard let workload = Workload(rawValue: workload) else { throw ValidationError("unknown workload '\(workload)'") }
        guard let mode = FaultVFS.Mode(rawValue: fault) else { throw ValidationError("unknown fault mode '\(fault)'") }
        let mask = try FaultVFS.Operations(parsing: operations)
        try FaultVFS.register()
        FaultVFS.reset()
        let arm = { FaultVFS.arm(mode, at: at, operations: mask) }
        if !armAfterOpen { arm() }
        do {
            try runSteps(workload, durability: durability, armingAfterOpen: armAfterOpen ? arm : nil)
        } catch let error as StoreError {
            emit("ERROR \(error.code) \(error.detailedDescription().replacingOccurrences(of: "\n", with: " | "))")
            emit(Self.statistics())
            throw ExitCode(3)
        }
        emit(Self.statistics())
    }

    /// Opens the store, runs the steps and closes it (when the function returns), all under
    /// the fault schedule.
    private func runSteps(_ workload: Workload, durability: TranslationStore.Durability, armingAfterOpen arm: (() -> Void)?) throws {
        let opened = try TranslationStore(path: store, vfs: FaultVFS.name, durability: durability)
        arm?()
        for step in 0..<steps {
            try workload.run(step: step, on: opened)
            emit(Acknowledgement(step: step).description)
        }
    }

    /// `STATS points=… faults=… write=… …`: what the VFS counted.
    static func statistics() -> String {
        var fields = ["points=\(FaultVFS.points)", "faults=\(FaultVFS.faults)"]
        for (name, kind) in FaultVFS.Operations.named { fields.append("\(name)=\(FaultVFS.count(kind))") }
        fields.append("directorySyncs=\(FaultVFS.directorySyncs)")
        return "STATS " + fields.joined(separator: " ")
    }
}
