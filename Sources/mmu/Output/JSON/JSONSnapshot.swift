import MMUStore

/// A snapshot as `mmu snapshot --json` and `mmu snapshots --json` print it.
struct JSONSnapshot: Encodable {
    let snapshot: Snapshot

    init(_ snapshot: Snapshot) { self.snapshot = snapshot }

    private enum CodingKeys: String, CodingKey { case name, setName, generation, globalGeneration, createdAt, metadata }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(snapshot.name, forKey: .name)
        try container.encode(snapshot.setName, forKey: .setName)
        try container.encode(snapshot.generation, forKey: .generation)
        try container.encode(snapshot.globalGeneration, forKey: .globalGeneration)
        try container.encode(snapshot.createdAt, forKey: .createdAt)
        try container.encode(snapshot.metadata, forKey: .metadata)
    }
}
