import BenchmarkReference
import Foundation
import MMUCapture
import MMUCore
import MMUDemo
import MMUSimulation
import MMUSimulationStore
import MMUStore
import MMUTraces

/// Replays at trace speed (issue 14): a recorded lackey trace simulated into the store under
/// both page policies as `mmu simulate` does it, against a same-run minimal reference that only
/// parses the same lines and counts the distinct pages they touch; the stages measured apart
/// (1 parse, 2 simulate on in-memory sets, 3 store, each alone as the difference of the runs
/// through it and through the one before); the same stages against the store floor, a same-run
/// C reference that makes only the `pageActivity` writes the replay's transactions must make
/// (its rows checked equal to the replay's); and strace replays with a durable commit per
/// transaction against group commit.
struct ReplayBenchmarks {
    let quick: Bool
    let runs: Int
    /// A recorded trace and its layout to use instead of recording one.
    let recorded: (trace: String, layout: String)?

    /// Transactions per commit in the group-commit rows.
    static let groupSize = 64

    func run(progress: (String) -> Void) throws -> [Measurement] {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (trace, layoutPath) = try recorded ?? EndToEndBenchmarks(quick: quick, runs: runs).trace(in: directory, progress: progress)
        let layout = try ProcessMaps(parsing: String(contentsOfFile: layoutPath, encoding: .utf8), source: layoutPath).areas
        progress("replay: each transaction's page counters, for the store floor")
        let deltas = try ReplayCounterDeltas(
            trace: trace, layout: layout, accessesPerTransaction: SimulationOptions().accessesPerTransaction)
        let schema = try TranslationStore.migrationSQL()
        var samples: [String: [Double]] = [:]
        var accesses = 0, distinct = 0, transactions: [PagePolicy: Int] = [:]
        for runIndex in 0..<runs {
            progress("replay run \(runIndex + 1)/\(runs): reference")
            var pages = 0
            samples["reference", default: []].append(try seconds { pages = try Self.distinctPages(in: trace) })
            distinct = pages
            progress("replay run \(runIndex + 1)/\(runs): parse only")
            samples["parse", default: []].append(try seconds { accesses = try Self.parse(trace) })
            var floorRows: [Int: [reference_activity_row]] = [:]
            for group in [1, Self.groupSize] {
                progress("replay run \(runIndex + 1)/\(runs): store floor\(group == 1 ? "" : ", group commit")")
                let path = directory.appendingPathComponent("floor-\(runIndex)-\(group).sqlite").path
                let floor = try Self.storeFloor(deltas, at: path, group: group, schema: schema)
                samples["floor \(group)", default: []].append(floor.seconds)
                floorRows[group] = floor.rows
            }
            for policy in [PagePolicy.fourKiB, .transparentHugePages] {
                progress("replay run \(runIndex + 1)/\(runs): \(policy.rawValue) in memory")
                samples["memory \(policy.rawValue)", default: []].append(try seconds { try Self.simulateInMemory(trace, layout, policy) })
                for group in [nil, Self.groupSize] {
                    progress("replay run \(runIndex + 1)/\(runs): \(policy.rawValue) into the store\(group == nil ? "" : ", group commit")")
                    let path = directory.appendingPathComponent("replay-\(runIndex)-\(policy.rawValue)-\(group ?? 1).sqlite").path
                    var report = SimulationReport()
                    samples["store \(policy.rawValue) \(group ?? 1)", default: []].append(
                        try seconds { report = try Self.simulateIntoStore(path, trace, layout, policy, group: group) })
                    transactions[policy] = report.transactions
                    let counted = try Self.pagesCounted(path)
                    guard counted == distinct else {
                        throw BenchmarkError("the replay counted \(counted) pages, the reference \(distinct) distinct pages (\(policy.rawValue))")
                    }
                    guard report.transactions == deltas.transactions else {
                        throw BenchmarkError(
                            "the replay (\(policy.rawValue)) made \(report.transactions) transactions, the store floor \(deltas.transactions)")
                    }
                    guard report.setNames.count == 1, let setName = report.setNames.first else {
                        throw BenchmarkError("the replay wrote the sets \(report.setNames), the store floor models one")
                    }
                    try Self.requireFloorRows(
                        floorRows[group ?? 1] ?? [], in: path, set: setName, "\(policy.rawValue), group of \(group ?? 1)")
                }
            }
        }
        let rate = { (key: String) in (samples[key] ?? []).map { Double(accesses) / $0 } }
        // A stage alone, per run: the time of the stages through it less the time of those before.
        let stage = { (through: String, before: String) in
            zip(samples[through] ?? [], samples[before] ?? []).map { Double(accesses) / max($0 - $1, .leastNormalMagnitude) }
        }
        let reference = rate("reference")
        var results: [Measurement] = []
        results.append(
            Measurement(
                operation: "stage 1: parse a \(accesses)-access lackey trace", unit: "accesses/s", higherIsBetter: true,
                ours: rate("parse"), reference: reference, referenceName: "parse + count \(distinct) distinct pages", target: "-"))
        for policy in [PagePolicy.fourKiB, .transparentHugePages] {
            let name = policy.rawValue, count = transactions[policy] ?? 0
            results.append(
                Measurement(
                    operation: "stage 2 alone: simulate (\(name)), stages 1-2 less stage 1", unit: "accesses/s", higherIsBetter: true,
                    ours: stage("memory \(name)", "parse"), target: "-"))
            results.append(
                Measurement(
                    operation: "stages 1-2: parse + simulate on in-memory sets (\(name))", unit: "accesses/s", higherIsBetter: true,
                    ours: rate("memory \(name)"), reference: reference, referenceName: "parse + count", target: "-"))
            for group in [1, Self.groupSize] {
                let key = "store \(name) \(group)"
                let commits = group == 1 ? "each durable" : "group commit of \(group)"
                results.append(
                    Measurement(
                        operation: "stage 3 alone: store (\(name), \(commits)), stages 1-3 less 1-2, per transaction", unit: "ms",
                        higherIsBetter: false,
                        ours: zip(samples[key] ?? [], samples["memory \(name)"] ?? []).map { ($0 - $1) * 1e3 / Double(max(count, 1)) },
                        target: "-"))
                var whole = Measurement(
                    operation: "stages 1-3: simulate a \(accesses)-access lackey trace into the store as mmu simulate does (\(name), \(count) transactions, \(commits))",
                    unit: "accesses/s", higherIsBetter: true, ours: rate(key), reference: reference, referenceName: "parse + count",
                    target: ">= 6M/s, >= 0.5x reference")
                whole.targetMet = whole.oursMedian >= 6e6 && (whole.ratio ?? 0) >= 0.5
                results.append(whole)
            }
        }
        // The floor's counters are the same under both policies (ReplayCounterDeltas), and checked so.
        for group in [1, Self.groupSize] {
            let commits = group == 1 ? "each durable" : "group commit of \(group)"
            results.append(
                Measurement(
                    operation: "store floor: only the pageActivity rows each transaction writes (C, SQLite, 4k, \(deltas.transactions) transactions, \(commits))",
                    unit: "accesses/s", higherIsBetter: true, ours: rate("floor \(group)"), target: "-"))
            for policy in [PagePolicy.fourKiB, .transparentHugePages] {
                results.append(
                    Measurement(
                        operation: "stages 1-3 (\(policy.rawValue), \(commits)) against the store floor", unit: "accesses/s",
                        higherIsBetter: true, ours: rate("store \(policy.rawValue) \(group)"), reference: rate("floor \(group)"),
                        referenceName: "store floor, \(commits)", target: "-"))
            }
        }
        results += try straceReplays(in: directory, progress: progress)
        return results
    }

    /// The minimal reference: reads the trace in 1 MiB chunks, parses each access line's kind,
    /// hexadecimal address and decimal size, and counts the distinct 4 KiB pages touched.
    static func distinctPages(in path: String) throws -> Int {
        guard let file = fopen(path, "r") else { throw BenchmarkError("cannot open \(path)") }
        defer { fclose(file) }
        var pages = Set<UInt64>()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var carried = 0
        while true {
            let read = buffer.withUnsafeMutableBytes { fread($0.baseAddress! + carried, 1, (1 << 20) - carried, file) }
            let end = carried + read
            guard end > 0 else { break }
            var lineStart = 0
            buffer.withUnsafeBufferPointer { bytes in
                guard let base = bytes.baseAddress else { return }
                while lineStart < end, let found = memchr(base + lineStart, 10, end - lineStart) {
                    let newline = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    var cursor = lineStart
                    while cursor < newline, bytes[cursor] == 32 { cursor += 1 }
                    if cursor + 2 < newline, bytes[cursor + 1] == 32,
                        bytes[cursor] == 73 || bytes[cursor] == 76 || bytes[cursor] == 83 || bytes[cursor] == 77
                    {
                        cursor += 1
                        while cursor < newline, bytes[cursor] == 32 { cursor += 1 }
                        var address: UInt64 = 0
                        while cursor < newline, let digit = hexValue(bytes[cursor]) {
                            address = address << 4 | digit
                            cursor += 1
                        }
                        var size: UInt64 = 0
                        if cursor < newline, bytes[cursor] == 44 {
                            cursor += 1
                            while cursor < newline, bytes[cursor] >= 48, bytes[cursor] <= 57 {
                                size = size * 10 + UInt64(bytes[cursor] - 48)
                                cursor += 1
                            }
                        }
                        let last = address &+ max(size, 1) &- 1
                        for page in (address >> 12)...(last >> 12) { pages.insert(page) }
                    }
                    lineStart = newline + 1
                }
            }
            carried = end - lineStart
            if read == 0 { break }
            buffer.withUnsafeMutableBytes { all in
                guard let base = all.baseAddress else { return }
                memmove(base, base + lineStart, carried)
            }
        }
        return pages.count
    }

    private static func hexValue(_ byte: UInt8) -> UInt64? {
        switch byte {
        case 48...57: UInt64(byte - 48)
        case 97...102: UInt64(byte - 87)
        case 65...70: UInt64(byte - 55)
        default: nil
        }
    }

    /// Stage 1: the trace reader alone; returns the accesses read.
    static func parse(_ path: String) throws -> Int {
        let reader = try TraceReader(contentsOf: path)
        try reader.readToEnd()
        return reader.statistics.accesses
    }

    /// Stages 1-2: the simulator on in-memory sets.
    static func simulateInMemory(_ path: String, _ layout: [MemoryArea], _ policy: PagePolicy) throws {
        var sets = InMemorySets()
        var simulator = try ProcessSimulator(
            options: SimulationOptions(name: "bench", pagePolicy: policy, initialAreas: layout),
            commit: { name, label, body in try sets.commit(setName: name, label: label, body) }, snapshot: { sets.snapshot($0) })
        _ = try simulator.run(try TraceReader(contentsOf: path))
    }

    /// Stages 1-3: what `mmu simulate` runs, into a new store, each transaction durable or in groups.
    static func simulateIntoStore(_ path: String, _ trace: String, _ layout: [MemoryArea], _ policy: PagePolicy, group: Int?)
        throws -> SimulationReport
    {
        let runner = StoreSimulation(store: try TranslationStore(path: path, creatingIfMissing: true), architecture: nil)
        return try runner.grouping(every: group, onDurable: nil) {
            var simulator = try runner.makeSimulator(SimulationOptions(name: "bench", pagePolicy: policy, initialAreas: layout))
            return try simulator.run(try TraceReader(contentsOf: trace))
        }
    }

    /// The pages the replay counted: its `pageActivity` rows.
    static func pagesCounted(_ path: String) throws -> Int {
        let result = try TranslationStore(path: path).query("SELECT count(*) FROM pageActivity")
        guard case .integer(let count) = result.rows.first?.first else { throw BenchmarkError("no page count in \(path)") }
        return Int(count)
    }

    /// The shipped strace fixtures replayed one after the other (each into its own sets), with a
    /// durable commit per transaction and with group commit: transactions per second.
    func straceReplays(in directory: URL, progress: (String) -> Void) throws -> [Measurement] {
        let fixtures = [TraceFixture.listing, .pythonFork, .shellMemoryOnly]
        let paths = try fixtures.map { fixture in
            guard let path = fixture.path else { throw BenchmarkError("the MMUSimulation fixtures are missing") }
            return path
        }
        let rounds = quick ? 1 : 10
        var rates: [Int: [Double]] = [:]
        var transactions = 0
        for runIndex in 0..<runs {
            for group in [1, Self.groupSize] {
                progress("strace replay run \(runIndex + 1)/\(runs), group of \(group)")
                let store = try TranslationStore(
                    path: directory.appendingPathComponent("strace-\(runIndex)-\(group).sqlite").path, creatingIfMissing: true)
                var count = 0
                let elapsed = try seconds {
                    try store.groupingCommits(every: group) { grouped in
                        for round in 0..<rounds {
                            for (index, path) in paths.enumerated() {
                                var simulator = try ProcessSimulator(
                                    options: SimulationOptions(name: "r\(round)-\(index)"),
                                    commit: { name, label, body in
                                        try grouped.update(set: name, label: label, creating: .init()) { tx in try body(tx) }
                                    }, snapshot: { _ in })
                                count += try simulator.run(try TraceReader(contentsOf: path)).transactions
                            }
                        }
                    }
                }
                transactions = count
                rates[group, default: []].append(Double(count) / elapsed)
            }
        }
        let name = fixtures.map(\.rawValue).joined(separator: ", ")
        return [
            Measurement(
                operation: "strace replay (\(name) x\(rounds), \(transactions) transactions), group commit of \(Self.groupSize)",
                unit: "transactions/s", higherIsBetter: true, ours: rates[Self.groupSize] ?? [], reference: rates[1],
                referenceName: "a durable commit each", target: "-"),
        ]
    }
}
