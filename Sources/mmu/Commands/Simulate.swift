import ArgumentParser
import Foundation
import MMUCore
import MMUSimulation
import MMUStore

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
                ('final'); --from SET@SNAPSHOT resumes a simulation from one of them.
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "Trace files (format detected from the content).") var traces: [String]
        @Option(help: "The base of the set names (NAME, NAME-PID).") var name: String?
        @Option(help: "The page-size policy: 4k, or thp (promote full 2 MiB regions, demote when cut).") var policy: PagePolicy = .fourKiB
        @Option(help: "Accesses (faults) per transaction.") var batch: Int = 4096
        @Option(help: "Snapshot every set after this many transactions.") var snapshotEvery: Int?
        @Option(help: "A /proc/PID/maps file giving the areas of a lackey trace's program.") var layout: String?
        @Option(help: "Declare this architecture for the new sets (see `mmu formats`).") var architecture: ArchitectureArgument?
        @Option(help: "Resume from SET@SNAPSHOT of an earlier simulation (with --name, into copies under that name).")
        var from: SetReference?
        @Flag(help: "Count and skip malformed trace lines instead of stopping at the first.") var skipBadLines = false
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard !traces.isEmpty else { throw ValidationError("give at least one trace file") }
            guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
            if let snapshotEvery, snapshotEvery < 1 { throw ValidationError("--snapshot-every must be at least 1") }
            if let from, case .snapshot = from.version {} else if from != nil {
                throw ValidationError("--from takes SET@SNAPSHOT, a snapshot taken by `mmu simulate`")
            }
        }

        func run() throws {
            let opened = try store.open()
            let runner = StoreSimulation(store: opened, architecture: architecture?.architecture)
            if !skipBadLines {
                // Read every trace once before touching the store, so a malformed line anywhere
                // leaves the database exactly as it was (parsing is fast next to simulating).
                for path in traces {
                    do {
                        let checker = try TraceReader(contentsOf: path)
                        while try checker.next() != nil {}
                    } catch {
                        throw CommandFailure("\(error); nothing was simulated (--skip-bad-lines counts and skips such lines)")
                    }
                }
            }
            // A resumed trace whose lines name no process continues the resumed set's process.
            let resumed = try from.flatMap { from in
                if case .snapshot(let snapshot) = from.version { try runner.resumedProcess(of: from.set, snapshot: snapshot) } else { nil }
            }
            var readers = try traces.map { path in
                do {
                    return try TraceReader(contentsOf: path, options: TraceParsingOptions(skipBadLines: skipBadLines, processID: resumed))
                } catch {
                    throw CommandFailure("\(error)")
                }
            }
            var simulator: ProcessSimulator
            if let from, case .snapshot(let snapshot) = from.version {
                let resumedTraces = try runner.resumedTraces(readers, from: from.set, snapshot: snapshot)
                readers = resumedTraces.readers
                FileHandle.standardError.write(Data("note: \(resumedTraces.note)\n".utf8))
                simulator = try runner.restoredSimulator(from: from.set, snapshot: snapshot, newName: name)
            } else {
                var initialAreas: [MemoryArea] = []
                if let layout {
                    guard let text = FileManager.default.contents(atPath: layout) else { throw CommandFailure("cannot read \(layout)") }
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
            let report: SimulationReport
            do {
                report = try simulator.run(readers) { step in
                    progress?.show(String(format: "%d lines (%.0f/s), %d transactions, %d pages resident", step.lines, step.linesPerSecond, step.transactions, step.residentPages))
                }
            } catch {
                progress?.clear()
                throw CommandFailure("\(error); the last committed transaction and snapshot stay in the store")
            }
            progress?.clear()
            let statistics = readers.reduce(TraceStatistics()) { total, reader in total.adding(reader.statistics) }
            if output.json {
                try Output.jsonLine(Summary(report: report, trace: statistics))
                return
            }
            print("simulated \(statistics.lines) trace lines (\(statistics.memoryCalls) memory calls, \(statistics.accesses) accesses\(statistics.badLines > 0 ? ", \(statistics.badLines) bad lines skipped" : "")) under \(simulator.options.pagePolicy.rawValue)")
            print("  \(report.transactions) transactions, \(report.snapshots) snapshots; \(report.demandFaults) demand faults, \(report.invalidAccesses) invalid accesses")
            print("  \(report.promotions) promotions, \(report.demotions) demotions, \(report.forks) forks; \(report.residentPages) pages resident in \(report.usedFrames) frames")
            print("  sets: \(report.setNames.joined(separator: ", "))")
        }

        struct Summary: Encodable {
            let report: SimulationReport
            let trace: TraceStatistics
        }
    }
}

extension TraceStatistics {
    /// These counts plus another trace's.
    func adding(_ other: TraceStatistics) -> TraceStatistics {
        var sum = self
        sum.lines += other.lines
        sum.mmaps += other.mmaps
        sum.munmaps += other.munmaps
        sum.mprotects += other.mprotects
        sum.brks += other.brks
        sum.mremaps += other.mremaps
        sum.discards += other.discards
        sum.forks += other.forks
        sum.execs += other.execs
        sum.exits += other.exits
        sum.instructions += other.instructions
        sum.loads += other.loads
        sum.stores += other.stores
        sum.modifies += other.modifies
        sum.failedCalls += other.failedCalls
        sum.resumedCalls += other.resumedCalls
        sum.otherCalls += other.otherCalls
        sum.ignoredLines += other.ignoredLines
        sum.badLines += other.badLines
        sum.firstBadLine = sum.firstBadLine ?? other.firstBadLine
        return sum
    }
}
