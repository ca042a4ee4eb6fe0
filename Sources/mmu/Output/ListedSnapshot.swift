import Foundation
import MMUSimulation
import MMUStore

/// A snapshot as `mmu snapshots` lists it: its fields (`metadata` `null` when it has none),
/// and `trace`, where in its trace a simulation took it (`null` for other snapshots).
struct ListedSnapshot: Encodable {
    let snapshot: MMUStore.Snapshot
    let trace: TracePosition?

    init(_ snapshot: MMUStore.Snapshot) {
        self.snapshot = snapshot
        trace = snapshot.metadata.flatMap { try? JSONDecoder().decode(StoreSimulation.Metadata.self, from: Data($0.utf8)) }?.checkpoint.position
    }

    private enum Key: String, CodingKey { case metadata, trace }

    func encode(to encoder: any Encoder) throws {
        try snapshot.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        if snapshot.metadata == nil { try container.encodeNil(forKey: .metadata) }
        try container.encode(trace, forKey: .trace)
    }
}
