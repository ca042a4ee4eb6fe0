extension TranslationSet {
    /// The in-memory backend of ``TranslationSet/update(_:)``: a sorted array.
    final class Storage: TranslationBackend {
        var entries: [MMUEntry]
        var pageActivity: [UInt64: PageActivity]
        var areas: [MemoryArea]
        let architecture: Architecture?

        init(_ set: TranslationSet) {
            self.entries = set.entries
            self.pageActivity = set.pageActivity
            self.areas = set.areas
            self.architecture = set.architecture
        }

        func entries(overlapping range: VirtualRange) -> [MMUEntry] {
            Array(entries[entries.indices(overlapping: range)])
        }

        func insert(_ newEntries: [MMUEntry]) {
            for entry in newEntries {
                entries.insert(entry, at: entries.firstIndex(endingAfter: entry.pageNumber))
            }
        }

        func remove(_ oldEntries: [MMUEntry]) {
            for entry in oldEntries {
                entries.remove(at: entries.index(ofLive: entry))
            }
        }

        func setAccessState(_ state: MMUEntry.Attributes, of entry: MMUEntry) {
            let index = entries.index(ofLive: entry)
            entries[index].attributes.subtract(.accessState)
            entries[index].attributes.formUnion(state.intersection(.accessState))
        }

        func record(_ activity: PageActivity, forPage pageNumber: UInt64) {
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
            areas = (areas + newAreas).sorted { $0.range.lowerPage < $1.range.lowerPage }
        }

        func removeAreas(_ oldAreas: [MemoryArea]) {
            areas.removeAll { oldAreas.contains($0) }
        }

        func atomically<Result>(_ body: () throws -> Result) throws -> Result {
            let savedEntries = entries, savedActivity = pageActivity, savedAreas = areas
            do {
                return try body()
            } catch {
                entries = savedEntries
                pageActivity = savedActivity
                areas = savedAreas
                throw error
            }
        }
    }
}
