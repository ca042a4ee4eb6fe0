extension TranslationSet {
    /// The in-memory backend of ``TranslationSet/update(_:)`` and of
    /// ``TranslationSetCollection/update(set:_:)``: sorted arrays.
    ///
    /// A lone set keeps its global entries among its own. A set of a collection keeps them in
    /// the collection's shared global set (``global``) and sees the collection's other sets
    /// (``others``) for copies and global conflicts, as the store's backend does.
    ///
    /// Each operation runs under an undo log rather than a saved copy, so an operation costs
    /// what it changes, not the size of the set.
    final class Storage: TranslationBackend {
        /// The set's own entries (all of them for a lone set).
        var entries: [MMUEntry]
        /// The shared global entries, when the set belongs to a collection.
        var global: [MMUEntry]?
        var pageActivity: [UInt64: PageActivity]
        var areas: [MemoryArea]
        let architecture: Architecture?
        /// The name of the set in its collection, if it belongs to one.
        private let name: String?
        /// The private entries of the collection's other sets, by name.
        private let others: [String: [MMUEntry]]
        /// What to undo, newest last, while an ``atomically(_:)`` body runs.
        private var undoLog: [Undo] = []
        /// How deep ``atomically(_:)`` calls are nested; the log is kept while it is above zero.
        private var depth = 0

        /// One change, as what undoes it.
        private enum Undo {
            case remove(MMUEntry)
            case insert(MMUEntry)
            case accessState(MMUEntry.Attributes, of: MMUEntry)
            case activity(PageActivity?, page: UInt64)
            case areas([MemoryArea])
        }

        /// A backend over a lone set.
        convenience init(_ set: TranslationSet) {
            self.init(set, name: nil, global: nil, others: [:])
        }

        /// A backend over the set `name` of a collection: `set` holds its private entries,
        /// `global` the collection's global entries, `others` the other sets' private entries.
        convenience init(_ set: TranslationSet, named name: String, global: [MMUEntry], others: [String: [MMUEntry]]) {
            self.init(set, name: name, global: global, others: others)
        }

        private init(_ set: TranslationSet, name: String?, global: [MMUEntry]?, others: [String: [MMUEntry]]) {
            self.entries = set.entries
            self.global = global
            self.pageActivity = set.pageActivity
            self.areas = set.areas
            self.architecture = set.architecture
            self.name = name
            self.others = others
        }

        private func log(_ undo: Undo) {
            if depth > 0 { undoLog.append(undo) }
        }

        /// Whether `entry` lives in the shared global entries rather than the set's own.
        private func isShared(_ entry: MMUEntry) -> Bool {
            global != nil && entry.isGlobal
        }

        /// Runs `change` on the array that holds `entry`.
        private func withArray<Result>(holding entry: MMUEntry, _ change: (inout [MMUEntry]) -> Result) -> Result {
            if isShared(entry), var shared = global {
                global = nil  // so that changing `shared` does not copy it
                defer { global = shared }
                return change(&shared)
            }
            return change(&entries)
        }

        func entries(overlapping range: VirtualRange) -> [MMUEntry] {
            let own = entries[entries.indices(overlapping: range)]
            guard let global else { return Array(own) }
            let shared = global[global.indices(overlapping: range)]
            if shared.isEmpty { return Array(own) }
            return (own + shared).sorted { $0.pageNumber < $1.pageNumber }
        }

        func firstEntry(startingIn range: VirtualRange) -> MMUEntry? {
            let own = entries.firstEntry(startingIn: range)
            guard let shared = global?.firstEntry(startingIn: range) else { return own }
            guard let own else { return shared }
            return own.pageNumber < shared.pageNumber ? own : shared
        }

        func insert(_ newEntries: [MMUEntry]) {
            for entry in newEntries {
                withArray(holding: entry) { $0.insert(entry, at: $0.firstIndex(endingAfter: entry.pageNumber)) }
                log(.remove(entry))
            }
        }

        func remove(_ oldEntries: [MMUEntry]) {
            for entry in oldEntries {
                let removed = withArray(holding: entry) { $0.remove(at: $0.index(ofLive: entry)) }
                log(.insert(removed))
            }
        }

        func setAccessState(_ state: MMUEntry.Attributes, of entry: MMUEntry) {
            withArray(holding: entry) { array in
                let index = array.index(ofLive: entry)
                log(.accessState(array[index].attributes, of: entry))
                array[index].attributes.subtract(.accessState)
                array[index].attributes.formUnion(state.intersection(.accessState))
            }
        }

        func record(_ activity: PageActivity, forPage pageNumber: UInt64) {
            log(.activity(pageActivity[pageNumber], page: pageNumber))
            pageActivity[pageNumber, default: PageActivity()] += activity
        }

        func conflictingSet(forGlobal range: VirtualRange) -> String? {
            others.keys.sorted().first { other in
                guard let entries = others[other] else { return false }
                return !entries.indices(overlapping: range).isEmpty
            }
        }

        func entries(inSetNamed other: String, overlapping range: VirtualRange) throws -> [MMUEntry] {
            if other == name { return Array(entries[entries.indices(overlapping: range)]) }
            guard let source = others[other] else { throw MappingError.unknownSet(other) }
            return Array(source[source.indices(overlapping: range)])
        }

        func areas(overlapping range: VirtualRange) -> [MemoryArea] {
            areas.filter { $0.range.overlaps(range) }
        }

        func insertAreas(_ newAreas: [MemoryArea]) {
            log(.areas(areas))
            areas = (areas + newAreas).sorted { $0.range.lowerPage < $1.range.lowerPage }
        }

        func removeAreas(_ oldAreas: [MemoryArea]) {
            log(.areas(areas))
            areas.removeAll { oldAreas.contains($0) }
        }

        func atomically<Result>(_ body: () throws -> Result) throws -> Result {
            let mark = undoLog.count
            depth += 1
            defer {
                depth -= 1
                if depth == 0 { undoLog.removeAll(keepingCapacity: true) }
            }
            do {
                return try body()
            } catch {
                while undoLog.count > mark {
                    switch undoLog.removeLast() {
                    case .remove(let entry): withArray(holding: entry) { _ = $0.remove(at: $0.index(ofLive: entry)) }
                    case .insert(let entry):
                        withArray(holding: entry) { $0.insert(entry, at: $0.firstIndex(endingAfter: entry.pageNumber)) }
                    case .accessState(let attributes, let entry):
                        withArray(holding: entry) { $0[$0.index(ofLive: entry)].attributes = attributes }
                    case .activity(let previous, let page): pageActivity[page] = previous
                    case .areas(let previous): areas = previous
                    }
                }
                throw error
            }
        }
    }
}
