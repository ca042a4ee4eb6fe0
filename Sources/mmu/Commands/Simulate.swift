import ArgumentParser
import Foundation
import MMUCapture
import MMUCore
import MMUSimulation
import MMUSimulationStore
import MMUStore
import MMUTraces

extension PagePolicy: ExpressibleByArgument {}

extension MMUCommand {
    /// `mmu simulate`: drives simulated processes from real traces into the store.
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Simulate processes from strace and valgrind lackey traces: every system call or batch of faults is one transaction.",
            discussion: """
                Traces: `strace -f -e trace=memory,process -o FILE PROGRAM` (mmap, munmap, mprotect, brk, mremap; \
                each pid becomes the set NAME-PID, a fork duplicates its parent) and \
                `valgrind --tool=lackey --trace-mem=yes --log-file=FILE PROGRAM` (accesses: pages are mapped on \
                first touch; give the program's /proc/PID/maps with --layout). Several traces run one after the \
                other. A snapshot is taken every --snapshot-every transactions (named 'tx N') and at the end \
                ('final'); --from SET@SNAPSHOT resumes a simulation from one of them. A database that already \
                holds sets of this name (NAME, NAME-PID) is refused, so an earlier run's 'final' snapshot never \
                moves silently: choose another --name, delete the sets, or continue into them with --append.
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "Trace files (format detected from the content).") var traces: [String]
        @Option(help: "The base of the set names (NAME, NAME-PID).") var name: String?
        @Option(help: "The page-size policy: 4k, or thp (promote full 2 MiB regions, demote when cut).") var policy: PagePolicy = .fourKiB
        @Option(help: "Memory accesses (lackey lines, a fault or not) per transaction.") var batch: Int = 4096
        @Option(help: "Make every N transactions durable with one commit (each keeps its generation and log row; a crash loses the last group whole).")
        var groupCommit: Int?
        @Option(help: "Snapshot every set after this many transactions.") var snapshotEvery: Int?
        @Option(help: "A /proc/PID/maps file giving the areas of a lackey trace's program.") var layout: String?
        @Option(help: "Declare this architecture for the new sets (see `mmu formats`).") var architecture: ArchitectureArgument?
        @Option(help: "Resume from SET@SNAPSHOT of an earlier simulation (with --name, into copies under that name).", transform: SetReference.init(parsing:))
        var from: SetReference?
        @Flag(help: "Count and skip malformed trace lines instead of stopping at the first.") var skipBadLines = false
        @Flag(help: "Continue into sets of this name that an earlier run left (its snapshots of the same names are replaced).")
        var append = false
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard !traces.isEmpty else { throw ValidationError("give at least one trace file") }
            guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
            if let groupCommit, groupCommit < 1 { throw ValidationError("--group-commit must be at least 1") }
            if let snapshotEvery, snapshotEvery < 1 { throw ValidationError("--snapshot-every must be at least 1") }
            if let from, case .snapshot = from.version {} else if from != nil {
                throw ValidationError("--from takes SET@SNAPSHOT, a snapshot taken by `mmu simulate`")
            }
        }

        func run() throws {
            let opened = try store.open()
            let runner = StoreSimulation(store: opened, architecture: architecture?.architecture)
            runner.notify = { FileHandle.standardError.write(Data("note: \($0)\n".utf8)) }
            if from == nil && !append {
                let base = SimulationOptions(name: name ?? "sim")
                let existing = try opened.sets().map(\.name).filter { base.processID(forSetName: $0) != nil }
                if !existing.isEmpty {
                    throw CommandFailure(
                        "the database already holds \(existing.count == 1 ? "the set" : "sets") of simulation '\(base.name)': \(existing.joined(separator: ", ")); "
                            + "choose another --name, delete \(existing.count == 1 ? "it" : "them") with `mmu sets delete`, or continue into \(existing.count == 1 ? "it" : "them") with --append; nothing was simulated")
                }
            }
            // A resumed trace whose lines name no process continues the resumed set's process.
            let resumed = try Self.failing {
                try from.flatMap { from in
                    if case .snapshot(let snapshot) = from.version { try runner.resumedProcess(of: from.set, snapshot: snapshot) } else { nil }
                }
            }
            let parsing = TraceParsingOptions(skipBadLines: skipBadLines, processID: resumed)
            var readers: [TraceReader] = []
            try Progress.during(skipBadLines ? "opening the traces" : "checking every line of the traces before simulating") {
                for path in traces {
                    do {
                        let reader = try TraceReader(contentsOf: path, options: parsing)
                        if skipBadLines {
                            readers.append(reader)
                            continue
                        }
                        // Read every trace once before touching the store, so a malformed line
                        // anywhere leaves the database exactly as it was (parsing is fast next to
                        // simulating); the replay reads the same open file again, never the path.
                        try reader.readToEnd()
                        readers.append(try reader.restarted(options: parsing))
                    } catch {
                        throw CommandFailure("\(error)" + (skipBadLines ? "" : "; nothing was simulated (--skip-bad-lines counts and skips such lines)"))
                    }
                }
            }
            if from == nil, layout == nil, let lackey = readers.first(where: { $0.format == .lackey }),
                !readers.contains(where: { $0.format == .strace })
            {
                throw CommandFailure(
                    "\(lackey.source) is a valgrind lackey trace: it records accesses but not the program's memory areas, so every access "
                        + "would be invalid and the sets would stay empty; give the areas with --layout FILE, a copy of /proc/PID/maps "
                        + "taken while the program ran; nothing was simulated")
            }
            var simulator: ProcessSimulator
            if let from, case .snapshot(let snapshot) = from.version {
                let resumedTraces = try Self.failing { try runner.resumedTraces(readers, from: from.set, snapshot: snapshot) }
                readers = resumedTraces.readers
                FileHandle.standardError.write(Data("note: \(resumedTraces.note)\n".utf8))
                simulator = try Self.failing { try runner.restoredSimulator(from: from.set, snapshot: snapshot, newName: name) }
            } else {
                var initialAreas: [MemoryArea] = []
                if let layout {
                    let text = try InputFile.contents(of: layout)
                    do {
                        initialAreas = try ProcessMaps(parsing: String(decoding: text, as: UTF8.self), source: layout).areas
                    } catch {
                        throw CommandFailure("\(error)")
                    }
                }
                simulator = try runner.makeSimulator(
                    SimulationOptions(
                        name: name ?? "sim", pagePolicy: policy, accessesPerTransaction: batch, snapshotInterval: snapshotEvery,
                        initialAreas: initialAreas))
            }
            let progress = Progress.onTerminal
            var totalLines: Int?
            if progress != nil {
                let counts = traces.compactMap(Progress.lines(in:))
                if counts.count == traces.count { totalLines = counts.reduce(0, +) }
            }
            let report: SimulationReport
            // Acknowledged transactions: all that returned, or in groups only those made durable.
            var durable = 0
            do {
                report = try runner.grouping(every: groupCommit, onDurable: { durable = $0 }) {
                    try simulator.run(readers) { step in
                        let counted = totalLines.map { Progress.Meter.describe("simulating", done: step.lines, total: $0, unit: "lines", seconds: step.seconds) }
                            ?? String(format: "simulating: %d lines (%.0f lines/s)", step.lines, step.linesPerSecond)
                        let accesses = readers.reduce(0) { $0 + $1.statistics.accesses }
                        let committed = groupCommit == nil ? "\(step.transactions) transactions" : "\(durable) writes durable"
                        let rate = Progress.Meter.count(step.seconds > 0 ? Double(accesses) / step.seconds : 0)
                        progress?.show("\(counted); \(committed), \(step.residentPages) pages resident, \(rate) accesses/s")
                    }
                }
            } catch {
                progress?.clear()
                throw CommandFailure("\(error); the last committed transaction and snapshot stay in the store")
            }
            progress?.clear()
            let statistics = TraceStatistics(summing: readers.map(\.statistics))
            if output.json {
                try Output.jsonLine(JSONSimulation(report: report, trace: statistics))
                return
            }
            print("simulated \(Output.count(statistics.lines, "trace line")) (\(Output.count(statistics.memoryCalls, "memory call")), \(Output.count(statistics.accesses, "access", "accesses"))\(statistics.badLines > 0 ? ", \(Output.count(statistics.badLines, "bad line")) skipped" : "")) under \(simulator.options.pagePolicy.rawValue)")
            print("  \(Output.count(report.transactions, "transaction")), \(Output.count(report.snapshots, "snapshot")); \(Output.count(report.demandFaults, "demand fault")), \(Output.count(report.invalidAccesses, "invalid access", "invalid accesses"))")
            print("  \(Output.count(report.promotions, "promotion")), \(Output.count(report.demotions, "demotion")), \(Output.count(report.forks, "fork")); \(Output.count(report.residentPages, "page")) resident in \(Output.count(report.usedFrames, "frame"))")
            print("  sets: \(report.setNames.joined(separator: ", "))")
        }
    }
}

extension MMUCommand.Simulate {
    /// `body`, with a refused resume reported as the command's failure (its message alone).
    static func failing<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreSimulationError {
            throw CommandFailure("\(error)")
        }
    }
}
