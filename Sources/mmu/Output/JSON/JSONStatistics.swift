import MMUStore

/// One line of `mmu stats --json`: a set's statistics, with `tables` the `--tables` footprints
/// (`null` when `--tables` was not given).
struct JSONStatistics: Encodable {
    let statistics: SetStatistics
    let tables: [Table]?

    /// A format's footprint, or why the set cannot be encoded in it (exactly one is `null`), and
    /// the translation cost.
    struct Table: Encodable {
        let format: String
        let footprint: JSONFootprint?
        let error: String?
        let cost: JSONCost

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(format, forKey: .format)
            try container.encode(footprint, forKey: .footprint)
            try container.encode(error, forKey: .error)
            try container.encode(cost, forKey: .cost)
        }

        private enum CodingKeys: String, CodingKey { case format, footprint, error, cost }
    }

    private enum CodingKeys: String, CodingKey {
        case setName, version, generation, entries, bytesMapped, bySize, byProtection, globalEntries, globalBytes, accessed, dirty
        case storedRows, snapshots, transactions, tables
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(statistics.setName, forKey: .setName)
        try container.encode(statistics.version, forKey: .version)
        try container.encode(statistics.generation, forKey: .generation)
        try container.encode(statistics.entries, forKey: .entries)
        try container.encode(statistics.bytesMapped, forKey: .bytesMapped)
        try container.encode(statistics.bySize, forKey: .bySize)
        try container.encode(statistics.byProtection, forKey: .byProtection)
        try container.encode(statistics.globalEntries, forKey: .globalEntries)
        try container.encode(statistics.globalBytes, forKey: .globalBytes)
        try container.encode(statistics.accessed, forKey: .accessed)
        try container.encode(statistics.dirty, forKey: .dirty)
        try container.encode(statistics.storedRows, forKey: .storedRows)
        try container.encode(statistics.snapshots, forKey: .snapshots)
        try container.encode(statistics.transactions, forKey: .transactions)
        try container.encode(tables, forKey: .tables)
    }
}
