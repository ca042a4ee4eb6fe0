import MMUCore

/// The accesses of one address space not yet committed.
struct AccessBatch: Sendable {
    /// A page and whether the access wrote.
    struct Key: Hashable, Comparable, Sendable {
        var page: UInt64
        var write: Bool

        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.page, lhs.write ? 1 : 0) < (rhs.page, rhs.write ? 1 : 0)
        }
    }

    /// Access events counted.
    var events = 0
    /// The first and last trace lines.
    var firstLine = 0
    var lastLine = 0
    /// Pages faulted in, to map.
    var newEntries: [MMUEntry] = []
    /// Access counts by page and kind.
    var accesses: [Key: UInt64] = [:]
    /// Fault counts by page.
    var faults: [UInt64: UInt64] = [:]

    var isEmpty: Bool { events == 0 }
}
