import MMUCore

/// Page statistics of one set at one version.
public struct SetStatistics: Hashable, Sendable, Codable {
    /// The set.
    public var setName: String
    /// The version described (`head`, `snapshot 'x'`, `generation N`).
    public var version: String
    /// The set's generation at that version.
    public var generation: Int64
    /// The set's own entries (global ones are counted apart).
    public var entries: Int
    /// The bytes the set's own entries map.
    public var bytesMapped: UInt64
    /// Entries and bytes per page size, ascending.
    public var bySize: [SizeCount]
    /// Entries and bytes per protection.
    public var byProtection: [ProtectionCount]
    /// The global entries the set sees.
    public var globalEntries: Int
    /// The bytes they map.
    public var globalBytes: UInt64
    /// Entries with the accessed bit (known at the head only).
    public var accessed: Int?
    /// Entries with the dirty bit (known at the head only).
    public var dirty: Int?
    /// Rows of the set in the database, live and history.
    public var storedRows: Int
    /// Snapshots of the set.
    public var snapshots: Int
    /// Committed transactions on the set.
    public var transactions: Int

    /// A page size's share.
    public struct SizeCount: Hashable, Sendable, Codable {
        /// The page size.
        public var size: PageSize
        /// Entries of that size.
        public var entries: Int
        /// Bytes they map.
        public var bytes: UInt64
    }

    /// A protection's share.
    public struct ProtectionCount: Hashable, Sendable, Codable {
        /// The protection.
        public var protection: Protection
        /// Entries with it.
        public var entries: Int
        /// Bytes they map.
        public var bytes: UInt64
    }
}
