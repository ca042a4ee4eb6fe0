/// What a committed transaction changed.
public struct TransactionSummary: Hashable, Sendable, Codable {
    /// The virtual ranges whose cached translations are now stale, sorted and coalesced:
    /// the TLB shootdown list. Newly mapped pages that had no translation are not in it.
    public var staleRanges: [VirtualRange]
    /// How many operations of each kind ran and how many entries they added and removed.
    public var counts: OperationCounts

    /// Creates a summary.
    public init(staleRanges: [VirtualRange] = [], counts: OperationCounts = OperationCounts()) {
        self.staleRanges = staleRanges
        self.counts = counts
    }
}

/// Operation and entry counts of a transaction, as written to the transaction log.
public struct OperationCounts: Hashable, Sendable, Codable {
    /// `map` calls (each entry of a bulk map counts once).
    public var maps = 0
    /// `unmap` and `clear` calls.
    public var unmaps = 0
    /// `protect` calls.
    public var protects = 0
    /// `resize` calls.
    public var resizes = 0
    /// `makeGlobal` calls.
    public var globals = 0
    /// `copy` calls.
    public var copies = 0
    /// `recordAccess` and `recordFault` calls.
    public var accesses = 0
    /// `replaceAreas` calls.
    public var areas = 0
    /// Entries that became live.
    public var entriesAdded = 0
    /// Entries that stopped being live.
    public var entriesRemoved = 0

    /// Creates zero counts.
    public init() {}

    /// The number of operations of every kind.
    public var operations: Int { maps + unmaps + protects + resizes + globals + copies + accesses + areas }
}
