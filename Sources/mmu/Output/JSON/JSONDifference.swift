import MMUCore

/// One line of `mmu diff --json`: a changed range (`"record":"change"`) or, last, the totals
/// (`"record":"summary"`).
enum JSONDifference: Encodable {
    case change(TranslationSet.Difference.Change)
    case summary(TranslationSet.Difference.Summary, same: Bool)

    private enum CodingKeys: String, CodingKey { case record, start, end, kinds, old, new, same, totalRanges, totalBytes, ranges, bytes }

    /// A count per change kind, every kind present (zero when none).
    private struct PerKind<Value: Encodable & AdditiveArithmetic>: Encodable {
        let values: [String: Value]

        private struct Key: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for (_, name) in TranslationSet.Difference.Kinds.named {
                try container.encode(values[name] ?? .zero, forKey: Key(stringValue: name))
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
        case .summary(let summary, let same):
            try container.encode("summary", forKey: .record)
            try container.encode(same, forKey: .same)
            try container.encode(summary.totalRanges, forKey: .totalRanges)
            try container.encode(summary.totalBytes, forKey: .totalBytes)
            try container.encode(PerKind(values: summary.ranges), forKey: .ranges)
            try container.encode(PerKind(values: summary.bytes), forKey: .bytes)
        }
    }
}
