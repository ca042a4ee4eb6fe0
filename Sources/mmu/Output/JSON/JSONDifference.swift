import MMUCore

/// One line of `mmu diff --json`: a changed entry range (`"record":"change"`), a changed memory
/// area range (`"record":"area"`) or, last, the totals (`"record":"summary"`).
enum JSONDifference: Encodable {
    case change(TranslationSet.Difference.Change)
    case area(TranslationSet.Difference.AreaChange)
    case summary(TranslationSet.Difference.Summary, same: Bool)

    private enum CodingKeys: String, CodingKey {
        case record, start, end, kinds, old, new, same, totalRanges, totalBytes, ranges, bytes, totalAreaRanges, totalAreaBytes,
            areaRanges, areaBytes
    }

    /// A memory area as a diff's area row writes it (`mmu show --areas --json` without its record key).
    private struct Area: Encodable {
        let start: String
        let end: String
        let protection: Protection
        let kind: MemoryArea.Kind
        let shared: Bool
        let name: String

        init(_ area: MemoryArea) {
            let range = JSONRange(area.range)
            (start, end) = (range.start, range.end)
            (protection, kind, shared, name) = (area.protection, area.kind, area.isShared, area.name)
        }
    }

    /// A count per change kind, every kind of `names` present (zero when none).
    private struct PerKind<Value: Encodable & AdditiveArithmetic>: Encodable {
        let values: [String: Value]
        var names = TranslationSet.Difference.Kinds.named.map(\.1)


        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: JSONKey.self)
            for name in names {
                try container.encode(values[name] ?? .zero, forKey: JSONKey(stringValue: name))
            }
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .change(let change):
            let range = JSONRange(change.range)
            try container.encode("change", forKey: .record)
            try container.encode(range.start, forKey: .start)
            try container.encode(range.end, forKey: .end)
            try container.encode(change.kinds.names, forKey: .kinds)
            try container.encode(change.old.map(JSONEntry.init), forKey: .old)
            try container.encode(change.new.map(JSONEntry.init), forKey: .new)
        case .area(let change):
            let range = JSONRange(change.range)
            try container.encode("area", forKey: .record)
            try container.encode(range.start, forKey: .start)
            try container.encode(range.end, forKey: .end)
            try container.encode(change.kinds.names, forKey: .kinds)
            try container.encode(change.old.map(Area.init), forKey: .old)
            try container.encode(change.new.map(Area.init), forKey: .new)
        case .summary(let summary, let same):
            try container.encode("summary", forKey: .record)
            try container.encode(same, forKey: .same)
            try container.encode(summary.totalRanges, forKey: .totalRanges)
            try container.encode(summary.totalBytes, forKey: .totalBytes)
            try container.encode(PerKind(values: summary.ranges), forKey: .ranges)
            try container.encode(PerKind(values: summary.bytes), forKey: .bytes)
            let areaNames = TranslationSet.Difference.AreaKinds.named.map(\.1)
            try container.encode(summary.totalAreaRanges, forKey: .totalAreaRanges)
            try container.encode(summary.totalAreaBytes, forKey: .totalAreaBytes)
            try container.encode(PerKind(values: summary.areaRanges, names: areaNames), forKey: .areaRanges)
            try container.encode(PerKind(values: summary.areaBytes, names: areaNames), forKey: .areaBytes)
        }
    }
}
