import MMUCore
import MMUTraces

/// What each transaction of `mmu simulate` replaying a lackey trace adds to the set's
/// `pageActivity` rows, worked out from the trace and its layout alone: the input of the store
/// floor (`reference_replay_counters`).
///
/// It follows the simulator's rules for a trace of one process:
/// - The first transaction (generation 0) starts the process with the layout's areas and
///   counts nothing; then each batch of ``SimulationOptions/accessesPerTransaction`` access
///   events (lines, whatever they touch and whether they are valid) is one transaction, the
///   last one shorter.
/// - An access counts on each 4 KiB page it touches (two when it crosses a page boundary): a
///   fetch needs an area with execute, a load one with read or write, a store or modify one with
///   write. A valid access adds one to the page's accesses for a fetch, load or store, two for a
///   modify (a read and a write), and one to its writes for a store or modify; the page's first
///   valid access ever also counts a fault (it is faulted in; a lackey trace never unmaps). An
///   invalid access counts a fault and nothing else.
///
/// The 4k and thp policies count alike here: promotion needs every page of a region mapped
/// already, and only a system call demotes or unmaps.
struct ReplayCounterDeltas {
    /// Pages each transaction touches, in transaction (generation) order.
    private(set) var pageCounts: [Int64] = [0]
    /// Each transaction's pages in turn, in increasing order within it, and what it adds to
    /// their counters.
    private(set) var pages: [Int64] = []
    private(set) var accesses: [Int64] = []
    private(set) var writes: [Int64] = []
    private(set) var faults: [Int64] = []
    /// The pages counted at all.
    private(set) var distinctPages = 0

    /// The transactions, the start included.
    var transactions: Int { pageCounts.count }

    /// The deltas of replaying `trace` with `layout` as its areas, `accessesPerTransaction`
    /// access events per transaction.
    ///
    /// - Throws: ``BenchmarkError`` for a trace of more than one process (whose transactions
    ///   interleave as its processes do, which this does not model); `TraceError` for a
    ///   malformed trace.
    /// - Complexity: O(*n*) in the accesses, plus sorting each transaction's pages.
    init(trace: String, layout: [MemoryArea], accessesPerTransaction: Int) throws {
        let areas = layout.sorted { $0.range.lowerPage < $1.range.lowerPage }
        let reader = try TraceReader(contentsOf: trace)
        var chunk: [TracedAccess] = []
        var mapped = Set<UInt64>(), counted = Set<UInt64>()
        var batch: [UInt64: (accesses: Int64, writes: Int64, faults: Int64)] = [:]
        var events = 0
        var process: (id: Int32?, line: Int)?
        while true {
            try reader.readAccesses(into: &chunk, limit: 1 << 16)
            guard !chunk.isEmpty else { break }
            for traced in chunk {
                if let process, process.id != traced.processID {
                    throw BenchmarkError(
                        "lines \(process.line) and \(traced.lineNumber) of \(trace) are of different processes: the store floor models one")
                }
                process = process ?? (traced.processID, traced.lineNumber)
                let kind = traced.access.kind
                for page in traced.access.pages {
                    var counts = batch[page] ?? (0, 0, 0)
                    if let protection = Self.area(containing: page, in: areas)?.protection, Self.allows(protection, kind) {
                        if mapped.insert(page).inserted { counts.faults += 1 }
                        counts.accesses += kind == .modify ? 2 : 1
                        if kind.writes { counts.writes += 1 }
                    } else {
                        counts.faults += 1
                    }
                    batch[page] = counts
                }
                events += 1
                if events == accessesPerTransaction {
                    append(batch, counted: &counted)
                    batch = [:]
                    events = 0
                }
            }
        }
        if events > 0 { append(batch, counted: &counted) }
        distinctPages = counted.count
    }

    /// Adds one transaction's pages, in page order.
    private mutating func append(_ batch: [UInt64: (accesses: Int64, writes: Int64, faults: Int64)], counted: inout Set<UInt64>) {
        pageCounts.append(Int64(batch.count))
        for (page, counts) in batch.sorted(by: { $0.key < $1.key }) {
            counted.insert(page)
            pages.append(Int64(page))
            accesses.append(counts.accesses)
            writes.append(counts.writes)
            faults.append(counts.faults)
        }
    }

    /// The area of `areas` (sorted, not overlapping) that holds `page`.
    private static func area(containing page: UInt64, in areas: [MemoryArea]) -> MemoryArea? {
        var low = 0, high = areas.count
        while low < high {
            let middle = (low + high) / 2
            if areas[middle].range.upperPage <= page { low = middle + 1 } else { high = middle }
        }
        return low < areas.count && areas[low].range.lowerPage <= page ? areas[low] : nil
    }

    /// Whether an area with `protection` allows an access of `kind` (x86-64's rules).
    private static func allows(_ protection: Protection, _ kind: RecordedAccess.Kind) -> Bool {
        switch kind {
        case .instruction: protection.contains(.execute)
        case .load: protection.contains(.read) || protection.contains(.write)
        case .store, .modify: protection.contains(.write)
        }
    }
}
