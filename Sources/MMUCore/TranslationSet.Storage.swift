extension TranslationSet {
    /// The in-memory backend of ``TranslationSet/update(_:)``: a sorted array.
    ///
    /// Each operation runs under an undo log rather than a saved copy, so an operation costs
    /// what it changes, not the size of the set.
    final class Storage: TranslationBackend {
        var entries: [MMUEntry]
        var pageActivity: [UInt64: PageActivity]
        var areas: [MemoryArea]
        let architecture: Architecture?
        /// What to undo, newest last, while an ``atomically(_:)`` body runs.
        private var undoLog: [Undo] = []
        /// How deep ``atomically(_:)`` calls are nested; the log is kept while it is above zero.
        private var depth = 0

        /// One change, as what undoes it.
        private enum Undo {
            case remove(MMUEntry)
            case insert(MMUEntry)
            case accessState(MMUEntry.Attributes, page: UInt64)
            case activity(PageActivity?, page: UInt64)
            case areas([MemoryArea])
        }

        init(_ set: TranslationSet) {
            self.entries = set.entries
            self.pageActivity = set.pageActivity
            self.areas = set.areas
            self.architecture = set.architecture
        }

        private func log(_ undo: Undo) {
            if depth > 0 { undoLog.append(undo) }
        }

        func entries(overlapping range: VirtualRange) -> [MMUEntry] {
            Array(entries[entries.indices(overlapping: range)])
        }

        func firstEntry(startingIn range: VirtualRange) -> MMUEntry? {
            let index = entries.firstIndex(endingAfter: range.lowerPage)
            guard index < entries.endIndex else { return nil }
            let entry = entries[index].pageNumber >= range.lowerPage ? entries[index] : entries.dropFirst(index + 1).first
            return entry.flatMap { $0.pageNumber < range.upperPage ? $0 : nil }
        }

        func insert(_ newEntries: [MMUEntry]) {
            for entry in newEntries {
                entries.insert(entry, at: entries.firstIndex(endingAfter: entry.pageNumber))
                log(.remove(entry))
            }
        }

        func remove(_ oldEntries: [MMUEntry]) {
            for entry in oldEntries {
                let removed = entries.remove(at: entries.index(ofLive: entry))
                log(.insert(removed))
            }
        }

        func setAccessState(_ state: MMUEntry.Attributes, of entry: MMUEntry) {
            let index = entries.index(ofLive: entry)
            log(.accessState(entries[index].attributes, page: entry.pageNumber))
            entries[index].attributes.subtract(.accessState)
            entries[index].attributes.formUnion(state.intersection(.accessState))
        }

        func record(_ activity: PageActivity, forPage pageNumber: UInt64) {
            log(.activity(pageActivity[pageNumber], page: pageNumber))
            pageActivity[pageNumber, default: PageActivity()] += activity
        }

        func conflictingSet(forGlobal range: VirtualRange) -> String? { nil }

        func entries(inSetNamed name: String, overlapping range: VirtualRange) throws -> [MMUEntry] {
            throw MappingError.unknownSet(name)
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
                    case .remove(let entry): entries.remove(at: entries.index(ofLive: entry))
                    case .insert(let entry): entries.insert(entry, at: entries.firstIndex(endingAfter: entry.pageNumber))
                    case .accessState(let attributes, let page):
                        let index = entries.firstIndex(endingAfter: page)
                        entries[index].attributes = attributes
                    case .activity(let previous, let page): pageActivity[page] = previous
                    case .areas(let previous): areas = previous
                    }
                }
                throw error
            }
        }
    }
}
