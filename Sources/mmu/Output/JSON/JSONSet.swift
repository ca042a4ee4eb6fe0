import MMUStore

/// One line of `mmu sets --json`.
struct JSONSet: Encodable {
    let info: TranslationSetInfo

    init(_ info: TranslationSetInfo) { self.info = info }

    private enum CodingKeys: String, CodingKey {
        case name, architectureName, headGeneration, compactedThrough, createdAt, headDigest, storedRows, stateDigest
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(info.name, forKey: .name)
        try container.encode(info.architectureName, forKey: .architectureName)
        try container.encode(info.headGeneration, forKey: .headGeneration)
        try container.encode(info.compactedThrough, forKey: .compactedThrough)
        try container.encode(info.createdAt, forKey: .createdAt)
        try container.encode(JSONDigest.text(info.headDigest), forKey: .headDigest)
        try container.encode(info.storedRows, forKey: .storedRows)
        try container.encode(JSONDigest.text(info.stateDigest), forKey: .stateDigest)
    }
}
