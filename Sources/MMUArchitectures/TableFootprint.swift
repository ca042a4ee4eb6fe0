/// How much memory a hardware table uses and how well it is filled.
public struct TableFootprint: Hashable, Sendable, Codable {
    /// One level of a radix table (or one region of a hashed table).
    public struct Level: Hashable, Sendable, Codable {
        /// The level's name (`PML4`, `L2`, `pte`, `hash`, `overflow`).
        public var name: String
        /// The number of table pages at this level.
        public var tablePages: Int
        /// The number of entry slots in those pages.
        public var slots: Int
        /// The number of slots in use.
        public var usedSlots: Int

        /// Creates a level record.
        public init(name: String, tablePages: Int, slots: Int, usedSlots: Int) {
            self.name = name
            self.tablePages = tablePages
            self.slots = slots
            self.usedSlots = usedSlots
        }

        /// Used slots over slots (0 when there are none).
        public var fillRatio: Double { slots == 0 ? 0 : Double(usedSlots) / Double(slots) }
    }

    /// The levels, top first.
    public var levels: [Level]
    /// Canonical entries encoded.
    public var entries: Int
    /// Hashed tables: entries over hash slots. `nil` for radix tables.
    public var loadFactor: Double?
    /// Hashed tables: table entries inspected to find an entry, averaged over the entries.
    public var averageProbes: Double?
    /// Hashed tables: the most table entries inspected to find any one entry.
    public var maximumProbes: Int?

    /// Creates a footprint.
    public init(
        levels: [Level], entries: Int, loadFactor: Double? = nil, averageProbes: Double? = nil,
        maximumProbes: Int? = nil
    ) {
        self.levels = levels
        self.entries = entries
        self.loadFactor = loadFactor
        self.averageProbes = averageProbes
        self.maximumProbes = maximumProbes
    }

    /// The number of 4 KiB table pages over all levels.
    public var tablePages: Int { levels.reduce(0) { $0 + $1.tablePages } }

    /// The bytes of table pages.
    public var byteCount: Int { tablePages * 4096 }

    /// Used slots over slots, over all levels.
    public var fillRatio: Double {
        let slots = levels.reduce(0) { $0 + $1.slots }
        return slots == 0 ? 0 : Double(levels.reduce(0) { $0 + $1.usedSlots }) / Double(slots)
    }
}
