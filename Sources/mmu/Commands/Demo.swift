import ArgumentParser
import Foundation
import MMUArchitectures
import MMUCapture
import MMUCore
import MMUDemo
import MMUSimulation
import MMUSimulationStore
import MMUStore
import MMUTraces

extension MMUCommand {
    /// `mmu demo`: the whole story on traces shipped with the package, for a first-time reader.
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the whole story on built-in traces: simulate, snapshot, restore into page tables, diff, capture, query.")

        @Option(help: "Where to write the demo database (default: a new temporary directory).")
        var database: String?

        func run() throws {
            let path = try database ?? Self.temporaryPath()
            guard let forkTrace = TraceFixture.pythonFork.path, let lackeyTrace = TraceFixture.lackeyDemo.path else {
                throw CommandFailure("the demo traces are missing: keep the MMUStore_MMUDemo.resources folder beside the mmu binary")
            }
            var store = try TranslationStore(path: path, creatingIfMissing: true)
            store.checkpointFailureHandler = CheckpointWarning.show
            print("MMUStore demo. Everything below is stored in \(path)\n")

            print("1. Simulate processes from real traces (shipped in Sources/MMUDemo/Fixtures).")
            print("   A python3 program that forks, recorded with strace: each system call is one transaction.")
            let forked = try simulate(store, name: "python", traces: [forkTrace], policy: .fourKiB, areas: [], snapshotEvery: 10)
            let areas = try forked.setNames.map { try store.translationSet(named: $0).areas.count }.reduce(0, +)
            print("   \(Output.count(forked.transactions, "transaction")) over sets \(forked.setNames.joined(separator: ", ")); \(Output.count(forked.forks, "fork")) duplicated the parent's set.")
            print("   strace sees system calls, not accesses: the sets hold \(Output.count(areas, "memory area")) (VMAs) and no pages yet.")
            print("   A small C program's 55,770 memory accesses, recorded with valgrind lackey: pages are mapped on first")
            print("   touch, in batches of 4,096 faults per transaction, once with 4 KiB pages only and once with")
            print("   transparent huge pages (a full, aligned 2 MiB region is promoted with mksize).")
            let layout = try TraceFixture.lackeyDemo.layout()
            let small = try simulate(store, name: "c-4k", traces: [lackeyTrace], policy: .fourKiB, areas: layout, snapshotEvery: 5)
            let huge = try simulate(store, name: "c-thp", traces: [lackeyTrace], policy: .transparentHugePages, areas: layout, snapshotEvery: 5)
            guard let smallSet = small.setNames.first, let hugeSet = huge.setNames.first else { throw CommandFailure("the lackey trace made no set") }
            print("   \(smallSet): \(Output.count(small.demandFaults, "demand fault")), \(Output.count(small.residentPages, "page")); \(hugeSet): \(Output.count(huge.promotions, "promotion"))\n")

            print("2. Snapshots are names for generations: one row each, whatever the size of the set.")
            let snapshots = try store.snapshots(of: hugeSet)
            print("   \(hugeSet) has \(Output.count(snapshots.count, "snapshot")): \(snapshots.map { "'\($0.name)' (generation \($0.generation))" }.joined(separator: ", "))\n")

            let restorePoint = try snapshots.first { snapshot in
                try store.translationSet(named: hugeSet, at: .snapshot(snapshot.name)).entries.contains { $0.size > .size4KiB }
            } ?? snapshots[snapshots.count - 1]
            print("3. Restore '\(restorePoint.name)' of \(hugeSet) by rebuilding the tables the hardware would walk:")
            for format in ["x86_64-4level", "ia64-vhpt-long"].compactMap(PageTableFormat.init(named:)) {
                let table = try store.build(
                    set: hugeSet, at: .snapshot(restorePoint.name), format: format, options: BuildOptions(splitsUnsupportedPages: true))
                let footprint = try table.footprint
                var line = "   \(format.name): \(Output.count(table.entryCount, "entry", "entries")) in \(Output.count(footprint.tablePages, "table page")) (\(Output.bytes(UInt64(footprint.byteCount)))), fill \(Build.percent(footprint.fillRatio))"
                if let load = footprint.loadFactor { line += ", load factor \(Build.percent(load)), \(String(format: "%.2f", footprint.averageProbes ?? 0)) probes per lookup" }
                print(line)
            }
            print("   (IA-64 has no 2 MiB pages: the promoted page is split into 1 MiB pages for it.)\n")

            print("4. Diff the two runs, ignoring which frames they got: exactly the promotions.")
            let difference = try store.translationSet(named: hugeSet).difference(from: try store.translationSet(named: smallSet), ignoringFrames: true)
            for change in difference.changes {
                print("   \(change.range) \(change.kinds.names.joined(separator: ",")): \(Diff.describe(change.old)) -> \(Diff.describe(change.new))")
            }
            print("   \(Diff.summaryLine(difference.summary, same: difference.isEmpty))\n")

            print("5. Capture this demo's own live process from /proc (maps, pagemap, kpageflags):")
            do {
                let captured = try ProcessCapture.captureCurrentProcess()
                if captured.frameNumbersVisible {
                    let name = "mmu-demo-\(captured.processID)"
                    try store.update(set: name, label: "capture", creating: .init()) { tx in try captured.apply(to: tx) }
                    print("   set '\(name)': \(Output.count(captured.areas.count, "area")), \(Output.count(captured.entries.count, "entry", "entries")) for \(Output.count(captured.presentPages, "present page")) (\(captured.fileBackedPages) file-backed, \(captured.hugePages) in huge pages)\n")
                } else {
                    print("   skipped: /proc/self/pagemap hides frame numbers without CAP_SYS_ADMIN\n")
                }
            } catch {
                print("   skipped: \(error)\n")
            }

            print("6. Page statistics are SQL views. The hottest pages of the C program:")
            let hottest = try store.query("""
                SELECT virtualAddress, accesses, writes, faults FROM pageHeat WHERE setName = '\(smallSet)'
                ORDER BY accesses DESC LIMIT 5
                """)
            print(Output.table([hottest.columns] + hottest.rows.map { $0.map(\.description) }).split(separator: "\n").map { "   " + $0 }.joined(separator: "\n"))
            let perSet = try store.query("SELECT setName, entries, bytesMapped, transactions, snapshots FROM setStatistics WHERE setName <> 'global' ORDER BY setName")
            print("   and every set at its head:")
            print(Output.table([perSet.columns] + perSet.rows.map { $0.map(\.description) }).split(separator: "\n").map { "   " + $0 }.joined(separator: "\n"))

            let report = try store.check(deep: true)
            print("\n7. mmu check --deep (integrity_check, invariants, content digests): \(report.isSound ? "ok" : report.problems.joined(separator: "; "))")
            print("""

                Explore it yourself:
                   mmu show -d \(path) '\(hugeSet)@\(restorePoint.name)'
                   mmu diff -d \(path) \(smallSet) \(hugeSet) --ignore-frames
                   mmu sql -d \(path) "SELECT * FROM pageSizeStatistics"
                   sqlite3 \(path) 'SELECT * FROM transactionHistory LIMIT 10'
                """)
        }

        /// Simulates `traces` into the store.
        func simulate(_ store: TranslationStore, name: String, traces: [String], policy: PagePolicy, areas: [MemoryArea], snapshotEvery: Int)
            throws -> SimulationReport
        {
            let runner = StoreSimulation(store: store, architecture: nil)
            var simulator = try runner.makeSimulator(
                SimulationOptions(name: name, pagePolicy: policy, snapshotInterval: snapshotEvery, initialAreas: areas))
            return try simulator.run(try traces.map { try TraceReader(contentsOf: $0) })
        }

        static func temporaryPath() throws -> String {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-demo-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return directory.appendingPathComponent("demo.sqlite").path
        }
    }
}
