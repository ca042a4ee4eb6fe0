import MMUCore

/// The accesses of one address space not yet committed.
struct AccessBatch: Sendable {
    /// Access events counted.
    var events = 0
    /// The first and last trace lines.
    var firstLine = 0
    var lastLine = 0
    /// Pages faulted in, to map.
    var newEntries: [MMUEntry] = []
    /// Reads, writes and faults by page: one counter update per page when committed.
    var pages: [UInt64: AccessCounts] = [:]

    var isEmpty: Bool { events == 0 }
}
