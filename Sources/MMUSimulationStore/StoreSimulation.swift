import Foundation
import MMUCore
import MMUSimulation
import MMUStore
import MMUTraces

/// Runs a ``ProcessSimulator`` against a store: each of its transactions is one store
/// transaction, each of its snapshots one snapshot per set, with what a restore needs saved
/// as the snapshot's metadata and a copy of the set's page counters and access bits.
///
/// A class: the simulators it makes write to its current ``store``, which
/// ``grouping(every:onDurable:_:)`` replaces by a store whose commits are grouped.
public final class StoreSimulation {
    /// The store the simulators write to (a grouped one inside ``grouping(every:onDurable:_:)``).
    public private(set) var store: TranslationStore
    /// The architecture new sets declare, if any.
    public let architecture: Architecture?
    /// Told what a resume did besides restoring (a set it deleted), in words, for the user.
    public var notify: (String) -> Void = { _ in }

    /// A runner writing to `store`, creating sets that declare `architecture`; the sets it writes
    /// are held in memory between its transactions.
    public init(store: TranslationStore, architecture: Architecture?) {
        self.store = store.keepingSetsWarm()
        self.architecture = architecture
    }

    /// Runs `body` (a replay by a simulator of this runner) with its transactions made durable
    /// `size` at a time (see ``TranslationStore/groupingCommits(every:onDurable:_:)``), or each on
    /// its own when `size` is `nil`.
    public func grouping<T>(every size: Int?, onDurable: ((Int) -> Void)?, _ body: () throws -> T) throws -> T {
        guard let size else { return try body() }
        let plain = store
        defer { store = plain }
        return try plain.groupingCommits(every: size, onDurable: onDurable) { grouped in
            store = grouped
            return try body()
        }
    }

    /// The sets this runner has committed to: they exist, so a transaction on one skips the
    /// lookup that would create it.
    var writtenSets: Set<String> = []

    /// The commit handler: one store transaction, creating the set if needed.
    func commit(_ setName: String, _ label: String, _ body: (TranslationSet.Transaction) throws -> Void) throws {
        let creation = writtenSets.contains(setName) ? nil : TranslationStore.SetCreation(architecture: architecture)
        try store.update(set: setName, label: label, creating: creation) { tx in try body(tx) }
        writtenSets.insert(setName)
    }

    /// The snapshot handler for a run with `options`: a snapshot per set, replacing one of the
    /// same name left by an earlier run into the same sets.
    func snapshot(_ request: SnapshotRequest, options: SimulationOptions) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let metadata = String(decoding: try encoder.encode(Metadata(options, request.checkpoint)), as: UTF8.self)
        for name in request.setNames {
            try store.createSnapshot(named: request.label, of: name, metadata: metadata, replacing: true, keepingActivity: true)
        }
    }

    /// A new simulator over the store.
    public func makeSimulator(_ options: SimulationOptions) throws -> ProcessSimulator {
        try ProcessSimulator(
            options: options, commit: { try self.commit($0, $1, $2) }, snapshot: { try self.snapshot($0, options: options) })
    }

    /// What a simulation saved with the snapshot `snapshot` of `setName`.
    public func savedMetadata(of setName: String, snapshot: String) throws -> Metadata {
        guard let saved = try store.snapshots(of: setName).first(where: { $0.name == snapshot }) else {
            throw StoreSimulationError.noSnapshot(set: setName, snapshot: snapshot)
        }
        guard let text = saved.metadata, let metadata = try? JSONDecoder().decode(Metadata.self, from: Data(text.utf8)) else {
            throw StoreSimulationError.notASimulation(set: setName, snapshot: snapshot)
        }
        return metadata
    }

    /// The process that the events of a resumed trace naming none (a lackey trace without its
    /// `==PID==` banner) belong to: the one process of the resumed set `setName`, if it has one.
    public func resumedProcess(of setName: String, snapshot: String) throws -> Int32? {
        let members = try savedMetadata(of: setName, snapshot: snapshot).checkpoint.spaces.first { $0.setName == setName }?.members ?? []
        return members.count == 1 ? members[0] : nil
    }

    /// The traces of a run resumed from the snapshot `snapshot` of `setName`, from where the
    /// snapshot was taken: when one of them holds the position it recorded (the whole trace was
    /// given), the traces before that one are dropped and it is read on from the position.
    /// Otherwise the traces are taken as what follows the snapshot, and the note says so.
    public func resumedTraces(_ readers: [TraceReader], from setName: String, snapshot: String) throws
        -> (readers: [TraceReader], note: String)
    {
        guard let position = try savedMetadata(of: setName, snapshot: snapshot).checkpoint.position else {
            return (readers, "snapshot '\(snapshot)' recorded no trace position: the traces are simulated as what follows it")
        }
        let place = "\(TraceError.escaped(position.file)) after line \(position.line) (byte \(position.byteOffset))"
        let holding: [Int]
        do {
            holding = try readers.indices.filter { try readers[$0].holds(position) }
        } catch let error as TraceError {
            throw StoreSimulationError.trace(error)
        }
        guard let first = holding.first else {
            return (readers, "no trace given holds the position of snapshot '\(snapshot)' (\(place)): they are simulated as what follows it")
        }
        guard holding.count == 1 else {
            throw StoreSimulationError.positionHeldTwice(traces: holding.map { readers[$0].source }, snapshot: snapshot, place: place)
        }
        do {
            try readers[first].skip(to: position)
        } catch {
            throw StoreSimulationError.trace(error)
        }
        return (Array(readers[first...]), "resumed at the position of snapshot '\(snapshot)': \(place)")
    }

    /// A simulator restored from the snapshot `snapshot` of `setName` (taken by a simulation),
    /// continuing into the same sets, or into copies named after `newName`.
    public func restoredSimulator(from setName: String, snapshot: String, newName: String?) throws -> ProcessSimulator {
        let metadata = try savedMetadata(of: setName, snapshot: snapshot)
        for space in metadata.checkpoint.spaces {
            guard try store.snapshots(of: space.setName).contains(where: { $0.name == snapshot && $0.keepsActivity }) else {
                throw StoreSimulationError.noKeptCounters(set: space.setName, snapshot: snapshot)
            }
        }
        var options = metadata.options
        var checkpoint = metadata.checkpoint
        var names = Dictionary(uniqueKeysWithValues: checkpoint.spaces.map { ($0.setName, $0.setName) })
        if let newName, newName != options.name {
            for old in names.keys {
                let renamed = newName + old.dropFirst(options.name.count)
                try store.duplicateSet(named: old, as: renamed, at: .snapshot(snapshot))
                names[old] = renamed
            }
            for index in checkpoint.spaces.indices { checkpoint.spaces[index].setName = names[checkpoint.spaces[index].setName] ?? "" }
            checkpoint.firstSetName = checkpoint.firstSetName.map { names[$0] ?? $0 }
            options.name = newName
        }
        var sets: [String: TranslationSet] = [:]
        for (old, new) in names {
            sets[new] = try store.translationSet(named: new, at: new == old ? .snapshot(snapshot) : .head)
        }
        if newName == nil || newName == metadata.name {
            try deleteSetsCreated(after: snapshot, of: setName, metadata: metadata)
            for name in sets.keys.sorted() {
                try store.restore(set: name, toSnapshot: snapshot, label: "resume from \(snapshot)")
            }
        }
        let frozen = options
        return try ProcessSimulator(
            restoring: sets, checkpoint: checkpoint, options: options, commit: { try self.commit($0, $1, $2) },
            snapshot: { try self.snapshot($0, options: frozen) })
    }
}
