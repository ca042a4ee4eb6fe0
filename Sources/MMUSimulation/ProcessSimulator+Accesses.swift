import MMUCore
import MMUTraces

extension ProcessSimulator {
    /// How many accesses of a lackey trace are read and applied at a time.
    static let chunkSize = 4096

    /// Applies a chunk of accesses, as ``apply(_:)`` would apply each as an event, with the
    /// same transactions, snapshots and positions.
    ///
    /// The first access of each run of one process goes through ``apply(_:)`` (it may start the
    /// process); the rest of the run, up to the access that fills the batch, is counted in the
    /// address space taken out of its table once, and can only end in the batch's commit.
    ///
    /// - Throws: ``SimulationError``; the simulator then stops.
    /// - Complexity: O(*n*) in the accesses, plus the cost of each transaction.
    mutating func apply(_ chunk: [TracedAccess]) throws(SimulationError) {
        defer { place = nil }
        var index = 0
        while index < chunk.count {
            let first = chunk[index]
            place = (first.lineNumber, first.endOffset)
            try apply(TraceEvent(processID: first.processID, lineNumber: first.lineNumber, action: .access(first.access)))
            index += 1
            guard let name = owners[first.processID] else { continue }
            var space = spaces.removeValue(forKey: name) ?? AddressSpace(setName: name)
            let room = options.accessesPerTransaction - space.batch.events
            var end = index
            while end < chunk.count, end - index < room, chunk[end].processID == first.processID { end += 1 }
            var applied = index
            do {
                while applied < end {
                    machine.line = chunk[applied].lineNumber
                    try machine.touch(chunk[applied].access, space: &space)
                    applied += 1
                }
            } catch {
                spaces[name] = space
                machine.report.events += applied - index
                stopped = true
                throw error
            }
            spaces[name] = space
            machine.report.events += end - index
            guard end > index else { continue }
            place = (chunk[end - 1].lineNumber, chunk[end - 1].endOffset)
            index = end
            do {
                if space.batch.events >= options.accessesPerTransaction { try flush(name) }
                if let interval = options.snapshotInterval, transactionsSinceSnapshot >= interval {
                    try requestSnapshot(label: "tx \(machine.report.transactions)")
                }
            } catch {
                stopped = true
                throw error
            }
        }
    }
}
