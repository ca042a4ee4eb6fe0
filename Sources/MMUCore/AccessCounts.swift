/// What a batch of memory accesses did to one 4 KiB page: the input of
/// ``TranslationSet/Transaction/recordActivity(_:)``.
public struct AccessCounts: Hashable, Sendable {
    /// Loads and fetches (a modify counts once here and once in ``writes``).
    public var reads: UInt64
    /// Stores.
    public var writes: UInt64
    /// Page faults.
    public var faults: UInt64

    /// Creates counts.
    public init(reads: UInt64 = 0, writes: UInt64 = 0, faults: UInt64 = 0) {
        self.reads = reads
        self.writes = writes
        self.faults = faults
    }

    /// Whether nothing is counted.
    public var isEmpty: Bool { reads == 0 && writes == 0 && faults == 0 }

    /// The calls of ``TranslationSet/Transaction/recordAccess(at:write:count:)`` and
    /// ``TranslationSet/Transaction/recordFault(at:count:)`` these counts stand for: one for
    /// the reads, one for the writes, one for the faults, each when not zero.
    public var operations: Int { (reads > 0 ? 1 : 0) + (writes > 0 ? 1 : 0) + (faults > 0 ? 1 : 0) }
}
