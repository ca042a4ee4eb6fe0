/// Counters of one 4 KiB page: the proposal's `mkcount`.
///
/// Activity is unversioned: it accumulates over the life of a set, whatever is mapped, so that
/// SQL can answer "hottest pages" or "pages touched once".
public struct PageActivity: Hashable, Sendable, Codable {
    /// Loads, stores and fetches recorded.
    public var accesses: UInt64
    /// Stores recorded (included in ``accesses``).
    public var writes: UInt64
    /// Page faults recorded.
    public var faults: UInt64

    /// Creates counters.
    public init(accesses: UInt64 = 0, writes: UInt64 = 0, faults: UInt64 = 0) {
        self.accesses = accesses
        self.writes = writes
        self.faults = faults
    }

    /// Adds another page's counters to these.
    public static func += (lhs: inout PageActivity, rhs: PageActivity) {
        lhs.accesses += rhs.accesses
        lhs.writes += rhs.writes
        lhs.faults += rhs.faults
    }
}
