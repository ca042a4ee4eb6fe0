import MMUStore
import MMUTraces

/// A snapshot as `mmu snapshot --json` and `mmu snapshots --json` write it: every key present,
/// `null` for what is absent, the trace position's fingerprint as a decimal string.
struct JSONSnapshot: Encodable {
    let snapshot: Snapshot
    let trace: TracePosition?

    init(_ snapshot: Snapshot, trace: TracePosition? = nil) {
        self.snapshot = snapshot
        self.trace = trace
    }

    private enum CodingKeys: String, CodingKey { case name, setName, generation, globalGeneration, createdAt, metadata, keepsActivity, trace }
    private enum TraceKeys: String, CodingKey { case file, line, byteOffset, fingerprint }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(snapshot.name, forKey: .name)
        try container.encode(snapshot.setName, forKey: .setName)
        try container.encode(snapshot.generation, forKey: .generation)
        try container.encode(snapshot.globalGeneration, forKey: .globalGeneration)
        try container.encode(snapshot.createdAt, forKey: .createdAt)
        try container.encode(snapshot.metadata, forKey: .metadata)
        try container.encode(snapshot.keepsActivity, forKey: .keepsActivity)
        if let trace {
            var position = container.nestedContainer(keyedBy: TraceKeys.self, forKey: .trace)
            try position.encode(trace.file, forKey: .file)
            try position.encode(trace.line, forKey: .line)
            try position.encode(trace.byteOffset, forKey: .byteOffset)
            try position.encode(String(trace.fingerprint), forKey: .fingerprint)
        } else {
            try container.encodeNil(forKey: .trace)
        }
    }
}
