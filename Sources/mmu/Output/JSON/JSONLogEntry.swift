import MMUCore
import MMUStore

/// One line of `mmu log --json`.
struct JSONLogEntry: Encodable {
    let entry: LogEntry

    init(_ entry: LogEntry) { self.entry = entry }

    private enum CodingKeys: String, CodingKey {
        case sequence, setName, generation, globalGeneration, committedAt, label, counts, digest, globalDigest
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entry.sequence, forKey: .sequence)
        try container.encode(entry.setName, forKey: .setName)
        try container.encode(entry.generation, forKey: .generation)
        try container.encode(entry.globalGeneration, forKey: .globalGeneration)
        try container.encode(entry.committedAt, forKey: .committedAt)
        try container.encode(entry.label, forKey: .label)
        try container.encode(entry.counts, forKey: .counts)
        try container.encode(JSONDigest.text(entry.digest), forKey: .digest)
        try container.encode(JSONDigest.text(entry.globalDigest), forKey: .globalDigest)
    }
}
