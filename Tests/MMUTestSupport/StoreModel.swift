import MMUCore

/// An in-memory model of a whole store: a ``TranslationSetCollection`` (several sets sharing
/// one global set) with the history of each set. It runs the same transaction engine as the
/// store, so after every transaction the store must equal it exactly, and every earlier
/// generation must equal what it recorded.
public final class StoreModel {
    /// The sets and the global set.
    public private(set) var collection = TranslationSetCollection()
    /// The view after each generation (index = generation), access bits cleared, by set.
    private var histories: [String: [TranslationSet]] = [:]
    /// Whether ``history(of:)`` keeps every generation (off for long soaks, where it would
    /// grow without bound).
    public let recordsHistory: Bool

    public init(recordsHistory: Bool = true) {
        self.recordsHistory = recordsHistory
    }

    /// Creates an empty set; a name already taken is a mistake in the test.
    public func createSet(_ name: String, architecture: Architecture? = nil) {
        do {
            try collection.createSet(named: name, architecture: architecture)
        } catch {
            preconditionFailure("the model already has a set named '\(name)'")
        }
        histories[name] = []
    }

    /// Duplicates a set, as the store does from its head; an unknown source is a mistake in the test.
    public func duplicate(_ name: String, as newName: String) {
        do {
            try collection.duplicateSet(named: name, as: newName)
        } catch {
            preconditionFailure("the model cannot duplicate '\(name)' as '\(newName)': \(error)")
        }
        histories[newName] = [view(of: newName, accessState: false)]
    }

    /// The views recorded after each generation of `name`.
    public func history(of name: String) -> [TranslationSet] {
        histories[name] ?? []
    }

    /// The current view of a set: private and global entries merged; an unknown set is a
    /// mistake in the test.
    public func view(of name: String, accessState: Bool = true) -> TranslationSet {
        let set: TranslationSet
        do {
            set = try collection.set(named: name)
        } catch {
            preconditionFailure("the model has no set named '\(name)'")
        }
        guard !accessState else { return set }
        let cleared = set.entries.map { entry in
            var copy = entry
            copy.attributes.subtract(.accessState)
            return copy
        }
        return TranslationSet(validatedEntries: cleared, architecture: set.architecture, areas: set.areas)
    }

    /// Runs a transaction on set `name`; if `body` throws, nothing changes.
    public func update(set name: String, _ body: (TranslationSet.Transaction) throws -> Void) throws {
        try collection.update(set: name, body)
        if recordsHistory {
            histories[name, default: []].append(view(of: name, accessState: false))
        }
    }
}
