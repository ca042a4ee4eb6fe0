import MMUCore
import MMUStore

extension StoreSimulation {
    /// Deletes the sets of the simulation that `metadata` describes which were created after the
    /// snapshot `snapshot` of `setName` (a child process's set from a fork after it), before an
    /// in-place resume, and tells ``notify`` of each: the resumed run creates them again as
    /// the uninterrupted run did, so the store ends as that run ends. The sets the simulation had
    /// at the snapshot are restored to it instead; sets of other names are left alone.
    func deleteSetsCreated(after snapshot: String, of setName: String, metadata: Metadata) throws {
        let options = metadata.options
        let restored = Set(metadata.checkpoint.spaces.map(\.setName))
        guard let generation = try store.snapshots(of: setName).first(where: { $0.name == snapshot })?.generation else {
            throw StoreSimulationError.noSnapshot(set: setName, snapshot: snapshot)
        }
        // Every set of the simulation at the snapshot was snapshotted with it, and is restored:
        // the others made after the snapshot's generation were made after the snapshot.
        let later = try store.setsCreated(after: generation, of: setName).map(\.name).filter {
            options.processID(forSetName: $0) != nil && !restored.contains($0)
        }
        for name in later {
            try store.deleteSet(named: name)
            writtenSets.remove(name)
            notify("deleted set '\(TerminalText.escaped(name))', created after snapshot '\(TerminalText.escaped(snapshot))'; the resumed run makes it again")
        }
    }
}
