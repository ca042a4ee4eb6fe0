import MMUArchitectures

/// A rebuilt table's footprint: its levels and, for hashed tables, load and probes (`null` for radix tables).
struct JSONFootprint: Encodable {
    let footprint: TableFootprint

    init(_ footprint: TableFootprint) { self.footprint = footprint }

    private enum CodingKeys: String, CodingKey {
        case levels, entries, tablePages, byteCount, fillRatio, loadFactor, averageProbes, maximumProbes
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(footprint.levels, forKey: .levels)
        try container.encode(footprint.entries, forKey: .entries)
        try container.encode(footprint.tablePages, forKey: .tablePages)
        try container.encode(footprint.byteCount, forKey: .byteCount)
        try container.encode(footprint.fillRatio, forKey: .fillRatio)
        try container.encode(footprint.loadFactor, forKey: .loadFactor)
        try container.encode(footprint.averageProbes, forKey: .averageProbes)
        try container.encode(footprint.maximumProbes, forKey: .maximumProbes)
    }
}
