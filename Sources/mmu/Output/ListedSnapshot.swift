import Foundation
import MMUSimulationStore
import MMUStore
import MMUTraces

/// A snapshot as `mmu snapshots` lists it: the snapshot and, for one a simulation took, where
/// in its trace (read from the snapshot's metadata; `nil` for other snapshots).
struct ListedSnapshot {
    let snapshot: MMUStore.Snapshot
    let trace: TracePosition?

    init(_ snapshot: MMUStore.Snapshot) {
        self.snapshot = snapshot
        trace = snapshot.metadata.flatMap { try? JSONDecoder().decode(StoreSimulation.Metadata.self, from: Data($0.utf8)) }?.checkpoint.position
    }
}
