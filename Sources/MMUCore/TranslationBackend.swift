/// Where a ``TranslationSet/Transaction`` reads and writes entries.
///
/// The transaction engine (validation, cutting, promotion, demotion) is written once, against
/// this protocol. ``TranslationSet`` and ``TranslationSetCollection`` implement it in memory;
/// the SQLite store implements it with range queries inside one database transaction. It is an
/// engine seam, open to the package's modules only. Implementations can assume the engine
/// only inserts entries that overlap nothing live and only removes live entries.
package protocol TranslationBackend: AnyObject {
    /// The architecture the set declares, if any.
    var architecture: Architecture? { get }

    /// The live entries (global ones included) that overlap `range`, sorted by virtual address.
    func entries(overlapping range: VirtualRange) throws -> [MMUEntry]

    /// The live entry (global ones included) with the lowest address among those starting in
    /// `range`, or `nil`.
    func firstEntry(startingIn range: VirtualRange) throws -> MMUEntry?

    /// The live entry (global ones included) that maps each of `pages` (4 KiB page numbers,
    /// increasing), or `nil` where nothing does; one element per page.
    func entries(covering pages: [UInt64]) throws -> [MMUEntry?]

    /// Adds entries; global entries (``MMUEntry/Attributes/global``) go to the shared global set.
    func insert(_ entries: [MMUEntry]) throws

    /// Removes live entries.
    func remove(_ entries: [MMUEntry]) throws

    /// Changes the unversioned accessed and dirty bits of a live entry in place.
    func setAccessState(_ state: MMUEntry.Attributes, of entry: MMUEntry) throws

    /// Adds `activity` to the counters of the 4 KiB page `pageNumber`.
    func record(_ activity: PageActivity, forPage pageNumber: UInt64) throws

    /// Adds each activity to the counters of its page; `pages` are sorted and distinct.
    func record(_ activities: [(page: UInt64, activity: PageActivity)]) throws

    /// The name of another set with a private live entry overlapping `range`, if there is one.
    func conflictingSet(forGlobal range: VirtualRange) throws -> String?

    /// The live entries of another set that overlap `range`, sorted by virtual address.
    ///
    /// - Throws: ``MappingError/unknownSet(_:)`` when there is no such set.
    func entries(inSetNamed name: String, overlapping range: VirtualRange) throws -> [MMUEntry]

    /// The live memory areas that overlap `range`, sorted by address.
    func areas(overlapping range: VirtualRange) throws -> [MemoryArea]

    /// Adds areas that overlap no live area.
    func insertAreas(_ areas: [MemoryArea]) throws

    /// Removes live areas.
    func removeAreas(_ areas: [MemoryArea]) throws

    /// Runs `body` so that everything it changes is undone if it throws.
    func atomically<Result>(_ body: () throws -> Result) throws -> Result
}

extension TranslationBackend {
    /// ``entries(covering:)`` from ``entries(overlapping:)``: one lookup per run of pages less
    /// than ``TranslationSet/Transaction/activityLookupGap`` apart.
    package func entries(covering pages: [UInt64]) throws -> [MMUEntry?] {
        try entriesByRuns(covering: pages)
    }

    /// The run-by-run lookup behind the default ``entries(covering:)``, for a backend that
    /// answers some calls another way and the rest this way.
    package func entriesByRuns(covering pages: [UInt64]) throws -> [MMUEntry?] {
        var result: [MMUEntry?] = []
        result.reserveCapacity(pages.count)
        var runStart = 0
        while runStart < pages.count {
            var runEnd = runStart + 1
            while runEnd < pages.count, pages[runEnd] - pages[runEnd - 1] < TranslationSet.Transaction.activityLookupGap { runEnd += 1 }
            let entries = try self.entries(overlapping: VirtualRange(pages: pages[runStart]..<(pages[runEnd - 1] + 1)))
            var entryIndex = 0
            for page in pages[runStart..<runEnd] {
                while entryIndex < entries.count, entries[entryIndex].range.upperPage <= page { entryIndex += 1 }
                result.append(entryIndex < entries.count && entries[entryIndex].range.pages.contains(page) ? entries[entryIndex] : nil)
            }
            runStart = runEnd
        }
        return result
    }

    /// One ``record(_:forPage:)`` per page.
    public func record(_ activities: [(page: UInt64, activity: PageActivity)]) throws {
        for (page, activity) in activities { try record(activity, forPage: page) }
    }
}
