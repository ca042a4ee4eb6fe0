import MMUCore

/// An independent, page-granular model of a translation set: what each 4 KiB page translates
/// to. It knows nothing of entries, sizes or cutting, so it checks the engine's translation
/// semantics from the outside.
struct PageModel: Equatable {
    struct Page: Equatable {
        var frameNumber: UInt64
        var protection: Protection
        var isGlobal: Bool
        var cacheMode: CacheMode
    }

    var pages: [UInt64: Page] = [:]

    /// Applies an operation that succeeded on the real set.
    mutating func apply(_ operation: TransactionOperation, sources: [String: TranslationSet] = [:]) {
        switch operation {
        case .map(let entry, _, _):
            map(entry)
        case .mapBatch(let entries, _, _):
            entries.forEach { map($0) }
        case .unmap(let range, _), .clear(let range, _):
            range.pages.forEach { pages[$0] = nil }
        case .protect(let range, let protection, _):
            range.pages.forEach { pages[$0]?.protection = protection }
        case .makeGlobal(let range, _):
            range.pages.forEach { pages[$0]?.isGlobal = true }
        case .copy(let range, let source, _, _):
            for entry in sources[source]?.entries(overlapping: range) ?? [] where !entry.isGlobal {
                for page in entry.range.pages where range.pages.contains(page) {
                    pages[page] = Page(
                        frameNumber: entry.frameNumber + (page - entry.pageNumber), protection: entry.protection,
                        isGlobal: false, cacheMode: entry.cacheMode)
                }
            }
        case .resize, .recordAccess, .recordFault:
            break
        }
    }

    private mutating func map(_ entry: MMUEntry) {
        for page in entry.range.pages {
            pages[page] = Page(
                frameNumber: entry.frameNumber + (page - entry.pageNumber), protection: entry.protection,
                isGlobal: entry.isGlobal, cacheMode: entry.cacheMode)
        }
    }

    /// The model of what `set` translates.
    init(_ set: TranslationSet) {
        for entry in set.entries {
            map(entry)
        }
    }

    init() {}
}
