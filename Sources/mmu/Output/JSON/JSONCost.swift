import MMUArchitectures
import MMUCore

/// A format's translation cost as `mmu stats --tables --json` writes it (every key present;
/// figures the format has none of are `null`).
struct JSONCost: Encodable {
    struct Loss: Encodable {
        let reason: String
        let entries: Int
    }

    struct Walk: Encodable {
        let size: PageSize
        let entries: Int
        let native: Double?
        let nested: Double?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(size, forKey: .size)
            try container.encode(entries, forKey: .entries)
            try container.encode(native, forKey: .native)
            try container.encode(nested, forKey: .nested)
        }

        private enum CodingKeys: String, CodingKey { case size, entries, native, nested }
    }

    let losses: [Loss]
    let walks: [Walk]
    let averageNativeReferences: Double?
    let averageNestedReferences: Double?
    let host: String?
    let tlb: String
    let tlbReach: UInt64
    let tlbCoverage: Double

    init(_ cost: TranslationCost) {
        losses = cost.losses.map { Loss(reason: $0.reason, entries: $0.entries) }
        walks = cost.walks.map { Walk(size: $0.size, entries: $0.entries, native: $0.native, nested: $0.nested) }
        averageNativeReferences = cost.averageNativeReferences
        averageNestedReferences = cost.averageNestedReferences
        host = cost.host
        tlb = cost.tlb.description
        tlbReach = cost.tlbReach
        tlbCoverage = cost.tlbCoverage
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(losses, forKey: .losses)
        try container.encode(walks, forKey: .walks)
        try container.encode(averageNativeReferences, forKey: .averageNativeReferences)
        try container.encode(averageNestedReferences, forKey: .averageNestedReferences)
        try container.encode(host, forKey: .host)
        try container.encode(tlb, forKey: .tlb)
        try container.encode(tlbReach, forKey: .tlbReach)
        try container.encode(tlbCoverage, forKey: .tlbCoverage)
    }

    private enum CodingKeys: String, CodingKey {
        case losses, walks, averageNativeReferences, averageNestedReferences, host, tlb, tlbReach, tlbCoverage
    }
}
