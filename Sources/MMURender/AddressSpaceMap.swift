import MMUArchitectures
import MMUCore
import MMUStore

/// What `mmu render` draws of one set: runs of entry versions (each with the generations it was
/// visible in), the memory areas, the page counters, the snapshots, an optional comparison, and
/// the compressed address axis they share.
///
/// Runs are the unit of drawing: consecutive pages whose versions were born and died together
/// and agree on everything but their addresses (size, protection, attributes, cache mode, frames
/// continuing each other) are one run, so a 2 MiB heap of 4 KiB pages is one run, not 512.
public struct AddressSpaceMap: Sendable {
    /// Consecutive entries alike in everything but their addresses, visible over the same generations.
    public struct Run: Hashable, Sendable {
        /// The first page (4 KiB page number) of the first entry.
        public var firstPage: UInt64
        /// The number of entries.
        public var count: Int
        /// The entries' page size.
        public var size: PageSize
        /// The entries' protection.
        public var protection: Protection
        /// The entries' attributes (accessed and dirty only on live rows, as the head holds them).
        public var attributes: MMUEntry.Attributes
        /// The entries' cache mode.
        public var cacheMode: CacheMode
        /// The first entry's frame number (4 KiB frames).
        public var firstFrame: UInt64
        /// The set's generation from which these versions were visible (for global entries, the
        /// first generation whose view included them).
        public var born: Int64
        /// The generation that replaced or removed them; `nil` while live.
        public var died: Int64?

        /// The pages the run covers.
        public var pages: Range<UInt64> { firstPage..<(firstPage + UInt64(count) * size.pageCount) }

        /// Whether the run is visible at `generation`.
        public func isVisible(at generation: Int64) -> Bool { born <= generation && died.map { generation < $0 } ?? true }

        /// Whether `entry`, born and dying as given, continues this run.
        func isContinued(by entry: MMUEntry, born: Int64, died: Int64?) -> Bool {
            born == self.born && died == self.died && entry.size == size && entry.protection == protection
                && entry.attributes == attributes && entry.cacheMode == cacheMode && entry.pageNumber == pages.upperBound
                && entry.frameNumber == firstFrame + UInt64(count) * size.pageCount
        }
    }

    /// The other side of `--compare`: its name and how it differs from the rendered version.
    public struct Comparison: Sendable {
        /// The other side as written (`SET@VERSION`, or `FILE:SET`).
        public var label: String
        /// How the other side differs from the rendered one (`mmu diff RENDERED OTHER`).
        public var difference: TranslationSet.Difference

        /// A comparison with the side named `label`.
        public init(label: String, difference: TranslationSet.Difference) {
            self.label = label
            self.difference = difference
        }
    }

    /// How much to draw.
    public struct Options: Sendable {
        /// Whether to include every stored version (the history view), or only the rendered version's entries.
        public var includesHistory: Bool
        /// The most runs one page holds.
        public var maximumRuns: Int
        /// The nominal width of the map in pixels.
        public var width: Double
        /// The formats whose translation cost the page shows; `nil` for the set's declared
        /// architecture's (x86-64 4-level when it declares none). Every format costs a table
        /// build each: about seconds for a million entries.
        public var costFormats: [PageTableFormat]?
        /// The host format and page size of the nested-walk figures.
        public var host: (format: PageTableFormat, pageSize: PageSize)?
        /// The TLB of the reach figures.
        public var tlb: TLBConfiguration

        /// The defaults: history included, at most ``defaultMaximumRuns`` runs, 1,200 pixels
        /// wide, the cost in the set's own format with no host, under the example TLB.
        public init(
            includesHistory: Bool = true, maximumRuns: Int = AddressSpaceMap.defaultMaximumRuns, width: Double = 1200,
            costFormats: [PageTableFormat]? = nil, host: (format: PageTableFormat, pageSize: PageSize)? = nil,
            tlb: TLBConfiguration = .example
        ) {
            self.includesHistory = includesHistory
            self.maximumRuns = maximumRuns
            self.width = width
            self.costFormats = costFormats
            self.host = host
            self.tlb = tlb
        }
    }

    /// The default limit on runs per page (a page of about 7 MB when nearly every run is a single
    /// page changed at a random place, the worst case for the page's compressed data).
    public static let defaultMaximumRuns = 2_000_000

    /// The set's name.
    public var setName: String
    /// The rendered version, as `head`, `snapshot 'warm'` or `generation 3`.
    public var versionDescription: String
    /// The generation the rendered version names.
    public var generation: Int64
    /// The set's head generation.
    public var headGeneration: Int64
    /// The set's declared architecture, if any.
    public var architecture: Architecture?
    /// The runs, ordered by first page then birth.
    public var runs: [Run]
    /// The memory areas of the rendered version.
    public var areas: [MemoryArea]
    /// The page counters (accesses, writes, faults) by page number, ordered; kept at the head only.
    public var activity: [(page: UInt64, activity: PageActivity)]
    /// The set's snapshots and the generations they name, in generation order.
    public var snapshots: [(name: String, generation: Int64)]
    /// The comparison of `--compare`, if any.
    public var comparison: Comparison?
    /// The translation cost of the rendered version in each format asked for.
    public var costs: [TranslationCost]
    /// Whether ``runs`` holds every stored version or only the rendered version's.
    public var includesHistory: Bool
    /// The axis every view shares.
    public var axis: AddressAxis

    /// Reads set `name` at `version` from `store`.
    ///
    /// - Parameters:
    ///   - store: The store, opened for reading.
    ///   - name: The set.
    ///   - version: The version drawn first (the history view can select any other).
    ///   - comparison: How another side differs from this version, for the diff view.
    ///   - options: History or not, the run limit, the width.
    /// - Complexity: O(*h* + *n* log *n*) for *h* stored rows and *n* runs.
    /// - Throws: ``StoreError`` (unknown set or version, damaged file), ``RenderError/tooLarge(set:runs:limit:withHistory:)``.
    public init(
        store: TranslationStore, set name: String, at version: TranslationStore.Version = .head, comparison: Comparison? = nil,
        options: Options = Options()
    ) throws {
        let info = try store.set(named: name)
        let generation = try store.generation(of: name, at: version)
        let head = try store.translationSet(named: name, at: .head, includingActivity: true)
        let rendered = version == .head ? head : try store.translationSet(named: name, at: version)
        var versions = try store.entryVersions(of: name)
        if !options.includesHistory { versions.removeAll { !$0.isVisible(at: generation) } }
        var runs = Self.runs(of: versions, accessStateFrom: head.entries)
        if !info.isGlobal {
            runs += try Self.globalRuns(store: store, set: name, generation: generation, head: head, includesHistory: options.includesHistory)
            runs.sort { ($0.firstPage, $0.born) < ($1.firstPage, $1.born) }
        }
        guard runs.count <= options.maximumRuns else {
            throw RenderError.tooLarge(set: name, runs: runs.count, limit: options.maximumRuns, withHistory: options.includesHistory)
        }
        self.setName = info.name
        self.versionDescription = version.description
        self.generation = generation
        self.headGeneration = info.headGeneration
        self.architecture = info.architecture
        self.runs = runs
        self.areas = rendered.areas
        self.activity = head.pageActivity.sorted { $0.key < $1.key }.map { (page: $0.key, activity: $0.value) }
        self.snapshots = try store.snapshots(of: name).map { (name: $0.name, generation: $0.generation) }.sorted { $0.generation < $1.generation }
        self.comparison = comparison
        self.includesHistory = options.includesHistory
        let costFormats = options.costFormats ?? [info.architecture.flatMap(PageTableFormat.init) ?? PageTableFormat.all[0]]
        self.costs = costFormats.map { TranslationCost(of: rendered, in: $0, host: options.host, tlb: options.tlb) }
        var occupied = runs.map(\.pages) + rendered.areas.map(\.range.pages)
        if let comparison {
            occupied += comparison.difference.changes.map(\.range.pages) + comparison.difference.areaChanges.map(\.range.pages)
        }
        self.axis = AddressAxis(occupied: occupied, addressing: info.architecture?.addressing, width: options.width)
    }

    /// The global set's versions as runs in the set's own generations: a global version born in
    /// global generation *b* and replaced in *d* is visible in the set's generations whose view
    /// included a global generation in [*b*, *d*) (global generations only grow, so that is one
    /// stretch of the set's generations).
    static func globalRuns(store: TranslationStore, set name: String, generation: Int64, head: TranslationSet, includesHistory: Bool) throws -> [Run] {
        let seen = try store.globalGenerations(of: name).sorted { $0.key < $1.key }
        /// The first of the set's generations whose global generation is at least `global`, or `nil` if none.
        func firstGeneration(seeing global: Int64) -> Int64? {
            var low = 0, high = seen.count
            while low < high {
                let middle = (low + high) / 2
                if seen[middle].value < global { low = middle + 1 } else { high = middle }
            }
            return low < seen.count ? seen[low].key : nil
        }
        var versions: [EntryVersion] = []
        for version in try store.entryVersions(of: TranslationStore.globalSetName) {
            guard let born = firstGeneration(seeing: version.born) else { continue }
            let died = version.died.flatMap(firstGeneration(seeing:))
            if let died, died <= born { continue }
            let local = EntryVersion(entry: version.entry, born: born, died: died)
            if includesHistory || local.isVisible(at: generation) { versions.append(local) }
        }
        return runs(of: versions, accessStateFrom: head.entries)
    }

    /// The versions coalesced into runs, live ones carrying the head's accessed and dirty bits.
    ///
    /// Only runs ending at or after the current version's page can still be continued (versions
    /// come in page order), so the runs kept open are pruned as the pages advance: the open list
    /// stays as short as versions overlap, however many runs the set has.
    ///
    /// - Parameters:
    ///   - versions: Ordered by page, then birth.
    ///   - headEntries: The head's entries, ordered by page.
    /// - Complexity: O(*n* · *k*) for *n* versions overlapping at most *k* deep.
    static func runs(of versions: [EntryVersion], accessStateFrom headEntries: [MMUEntry]) -> [Run] {
        var runs: [Run] = []
        var open: [Int] = []
        var openPage: UInt64 = 0
        var headIndex = 0
        for version in versions {
            var entry = version.entry
            if version.died == nil {
                while headIndex < headEntries.count, headEntries[headIndex].pageNumber < entry.pageNumber { headIndex += 1 }
                if headIndex < headEntries.count, headEntries[headIndex].pageNumber == entry.pageNumber {
                    entry.attributes.formUnion(headEntries[headIndex].attributes.intersection(.accessState))
                }
            }
            if entry.pageNumber != openPage {
                open.removeAll { runs[$0].pages.upperBound < entry.pageNumber }
                openPage = entry.pageNumber
            }
            if let slot = open.firstIndex(where: { runs[$0].isContinued(by: entry, born: version.born, died: version.died) }) {
                runs[open[slot]].count += 1
            } else {
                runs.append(Run(entry, born: version.born, died: version.died))
                open.append(runs.count - 1)
            }
        }
        return runs
    }
}

extension AddressSpaceMap.Run {
    /// A run of the one entry `entry`.
    init(_ entry: MMUEntry, born: Int64, died: Int64?) {
        self.init(
            firstPage: entry.pageNumber, count: 1, size: entry.size, protection: entry.protection, attributes: entry.attributes,
            cacheMode: entry.cacheMode, firstFrame: entry.frameNumber, born: born, died: died)
    }
}
