import MMUCore

/// An in-memory model of a whole store: several sets sharing one global set, with their
/// history. It runs the same transaction engine as the store, so after every transaction the
/// store must equal it exactly, and every earlier generation must equal what it recorded.
public final class StoreModel {
    public struct SetState {
        public var entries = SortedEntries()
        public var activity: [UInt64: PageActivity] = [:]
        public var areas: [MemoryArea] = []
        public var architecture: Architecture?
        /// The view after each generation (index = generation), access bits cleared.
        public var history: [TranslationSet] = []
    }

    public private(set) var sets: [String: SetState] = [:]
    public private(set) var global = SortedEntries()
    /// Whether ``SetState/history`` keeps every generation (off for long soaks, where it would
    /// grow without bound).
    public let recordsHistory: Bool

    public init(recordsHistory: Bool = true) {
        self.recordsHistory = recordsHistory
    }

    public func createSet(_ name: String, architecture: Architecture? = nil) {
        sets[name] = SetState(architecture: architecture)
    }

    public func duplicate(_ name: String, as newName: String) {
        guard var copy = sets[name] else { return }
        copy.activity = [:]
        copy.history = []
        sets[newName] = copy
        let first = view(of: newName, accessState: false)
        sets[newName]?.history = [first]
    }

    /// The current view of a set: private and global entries merged.
    public func view(of name: String, accessState: Bool = true) -> TranslationSet {
        let state = sets[name] ?? SetState()
        var merged = (state.entries.entries + global.entries).sorted { $0.pageNumber < $1.pageNumber }
        if !accessState {
            merged = merged.map { entry in
                var copy = entry
                copy.attributes.subtract(.accessState)
                return copy
            }
        }
        return TranslationSet(
            validatedEntries: merged, architecture: state.architecture, pageActivity: accessState ? state.activity : [:],
            areas: state.areas)
    }

    /// Runs a transaction on set `name`; if `body` throws, nothing changes.
    public func update(set name: String, _ body: (TranslationSet.Transaction) throws -> Void) throws {
        let backend = Backend(model: self, setName: name)
        let savedSets = sets, savedGlobal = global
        do {
            try body(TranslationSet.Transaction(backend: backend))
        } catch {
            sets = savedSets
            global = savedGlobal
            throw error
        }
        if recordsHistory {
            // Computed first: `view(of:)` reads `sets`, which the append below modifies.
            let committed = view(of: name, accessState: false)
            sets[name]?.history.append(committed)
        }
    }

    final class Backend: TranslationBackend {
        let model: StoreModel
        let setName: String

        init(model: StoreModel, setName: String) {
            self.model = model
            self.setName = setName
        }

        var architecture: Architecture? { model.sets[setName]?.architecture }

        func entries(overlapping range: VirtualRange) -> [MMUEntry] {
            ((model.sets[setName]?.entries.overlapping(range) ?? []) + model.global.overlapping(range)).sorted { $0.pageNumber < $1.pageNumber }
        }

        func firstEntry(startingIn range: VirtualRange) -> MMUEntry? {
            entries(overlapping: range).first { $0.pageNumber >= range.lowerPage }
        }

        func insert(_ entries: [MMUEntry]) {
            for entry in entries {
                if entry.isGlobal { model.global.insert(entry) } else { model.sets[setName]?.entries.insert(entry) }
            }
        }

        func remove(_ entries: [MMUEntry]) {
            for entry in entries {
                if entry.isGlobal {
                    model.global.remove(atPage: entry.pageNumber)
                } else {
                    model.sets[setName]?.entries.remove(atPage: entry.pageNumber)
                }
            }
        }

        func setAccessState(_ state: MMUEntry.Attributes, of entry: MMUEntry) {
            let change = { (changed: inout MMUEntry) in
                changed.attributes.subtract(.accessState)
                changed.attributes.formUnion(state.intersection(.accessState))
            }
            if entry.isGlobal {
                model.global.update(atPage: entry.pageNumber, change)
            } else {
                model.sets[setName]?.entries.update(atPage: entry.pageNumber, change)
            }
        }

        func record(_ activity: PageActivity, forPage pageNumber: UInt64) {
            model.sets[setName]?.activity[pageNumber, default: PageActivity()] += activity
        }

        func conflictingSet(forGlobal range: VirtualRange) -> String? {
            model.sets.keys.sorted().first { name in
                name != setName && !(model.sets[name]?.entries.overlapping(range).isEmpty ?? true)
            }
        }

        func entries(inSetNamed name: String, overlapping range: VirtualRange) throws -> [MMUEntry] {
            guard let other = model.sets[name] else { throw MappingError.unknownSet(name) }
            return other.entries.overlapping(range)
        }

        func areas(overlapping range: VirtualRange) -> [MemoryArea] {
            (model.sets[setName]?.areas ?? []).filter { $0.range.overlaps(range) }
        }

        func insertAreas(_ areas: [MemoryArea]) {
            model.sets[setName]?.areas = ((model.sets[setName]?.areas ?? []) + areas).sorted { $0.range.lowerPage < $1.range.lowerPage }
        }

        func removeAreas(_ areas: [MemoryArea]) {
            model.sets[setName]?.areas.removeAll { areas.contains($0) }
        }

        func atomically<Result>(_ body: () throws -> Result) throws -> Result {
            let savedSets = model.sets, savedGlobal = model.global
            do {
                return try body()
            } catch {
                model.sets = savedSets
                model.global = savedGlobal
                throw error
            }
        }
    }
}
