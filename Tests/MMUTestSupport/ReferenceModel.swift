import MMUCore

/// A reference model of a translation set written apart from the engine: a dictionary of 4 KiB
/// pages, each knowing its frame, its rights and the entry (first page and length) it belongs
/// to. It decides by itself, from DESIGN.md §4 and the operations' documentation, whether each
/// operation is valid (alignment, overlap, unmapped target, cut large pages, promotion rules)
/// and what it leaves, page by page. It shares no code with the engine: no range search, no
/// splitting, no promotion check of the engine's is called.
public struct ReferenceModel: Equatable {
    /// One 4 KiB page of a live entry.
    public struct Page: Equatable, CustomStringConvertible {
        public var frame: UInt64
        public var protection: Protection
        public var cacheMode: CacheMode
        public var isGlobal: Bool
        public var accessed: Bool
        public var dirty: Bool
        /// The first page of the entry this page belongs to.
        public var entryStart: UInt64
        /// The entry's length in 4 KiB pages.
        public var entryPages: UInt64

        public var description: String {
            "frame \(frame) \(protection) cache \(cacheMode) global \(isGlobal) A \(accessed) D \(dirty) in entry \(entryStart)+\(entryPages)"
        }
    }

    public private(set) var pages: [UInt64: Page] = [:]

    /// An empty model.
    public init() {}

    /// The page lengths demotion splits into when a range cuts an entry, largest first: the
    /// sizes a set without an architecture knows (4 KiB, 2 MiB, 1 GiB).
    static let demotionLengths: [UInt64] = [1 << 18, 1 << 9, 1]

    /// Applies `operation` when it is valid and returns `nil`; otherwise leaves the model as it
    /// was and returns why it is refused.
    public mutating func apply(_ operation: TransactionOperation) -> String? {
        var next = self
        let refusal: String? =
            switch operation {
            case .map(let entry, let replacing, let largePages): next.map([entry], replacing: replacing, largePages: largePages)
            case .mapBatch(let entries, let replacing, let largePages): next.map(entries, replacing: replacing, largePages: largePages)
            case .unmap(let range, let largePages): next.rewrite(range, mustBeMapped: true, largePages: largePages) { _ in nil }
            case .clear(let range, let largePages): next.rewrite(range, mustBeMapped: false, largePages: largePages) { _ in nil }
            case .protect(let range, let protection, let largePages):
                next.rewrite(range, mustBeMapped: true, largePages: largePages) { page in
                    var changed = page
                    changed.protection = protection
                    return changed
                }
            case .makeGlobal(let range, let largePages):
                next.rewrite(range, mustBeMapped: true, largePages: largePages) { page in
                    var changed = page
                    changed.isGlobal = true
                    return changed
                }
            case .resize(let address, let size): next.resize(address.pageNumber, to: size.pageCount)
            case .recordAccess(let address, let write, let count): next.recordAccess(address.pageNumber, write: write, count: count)
            case .recordFault(_, let count): count == 0 ? "a fault count of zero" : nil
            case .copy: "copy is not modelled"
            }
        if refusal == nil { self = next }
        return refusal
    }

    /// The pages of `entries` within `span` (all of them when `nil`).
    public static func pages(of entries: some Sequence<MMUEntry>, in span: Range<UInt64>? = nil) -> [UInt64: Page] {
        var pages: [UInt64: Page] = [:]
        for entry in entries {
            let start = entry.virtualAddress.rawValue / 4096, length = entry.size.byteCount / 4096
            for offset in 0..<length where span?.contains(start + offset) ?? true {
                pages[start + offset] = Page(
                    frame: entry.physicalAddress.rawValue / 4096 + offset, protection: entry.protection, cacheMode: entry.cacheMode,
                    isGlobal: entry.attributes.contains(.global), accessed: entry.attributes.contains(.accessed),
                    dirty: entry.attributes.contains(.dirty), entryStart: start, entryPages: length)
            }
        }
        return pages
    }

    /// The first page where the model and `set` differ, described; `nil` when they agree.
    /// With a `span`, only its pages are compared.
    public func difference(from set: TranslationSet, in span: Range<UInt64>? = nil) -> String? {
        let actual: [UInt64: Page], expected: [UInt64: Page]
        if let span {
            actual = Self.pages(of: set.entries(overlapping: VirtualRange(pages: span)), in: span)
            expected = pages.filter { span.contains($0.key) }
        } else {
            actual = Self.pages(of: set.entries)
            expected = pages
        }
        guard actual != expected else { return nil }
        for page in Set(expected.keys).union(actual.keys).sorted() where expected[page] != actual[page] {
            return "page \(String(page, radix: 16)): model \(expected[page].map(\.description) ?? "unmapped"), set \(actual[page].map(\.description) ?? "unmapped")"
        }
        return nil
    }

    /// The pages `operation` can change: its range or entry, widened to whole 2 MiB regions so
    /// that any large page it cuts, promotes or demotes is included.
    public static func span(of operation: TransactionOperation) -> Range<UInt64> {
        let pages: Range<UInt64> =
            switch operation {
            case .map(let entry, _, _): entry.range.lowerPage..<entry.range.upperPage
            case .mapBatch(let entries, _, _):
                (entries.map(\.range.lowerPage).min() ?? 0)..<(entries.map(\.range.upperPage).max() ?? 0)
            case .unmap(let range, _), .clear(let range, _), .protect(let range, _, _), .makeGlobal(let range, _), .copy(let range, _, _, _):
                range.lowerPage..<range.upperPage
            case .resize(let address, let size): address.pageNumber..<(address.pageNumber + size.pageCount)
            case .recordAccess(let address, _, _), .recordFault(let address, _): address.pageNumber..<(address.pageNumber + 1)
            }
        let lower = pages.lowerBound / 512 * 512
        return lower..<max(lower + 512, (pages.upperBound + 511) / 512 * 512)
    }

    private mutating func map(_ entries: [MMUEntry], replacing: Bool, largePages: LargePagePolicy) -> String? {
        var claimed: Set<UInt64> = []
        for entry in entries {
            let bytes = entry.size.byteCount
            if entry.virtualAddress.rawValue % bytes != 0 { return "virtual address not aligned to the page size" }
            if entry.physicalAddress.rawValue % bytes != 0 { return "frame not aligned to the page size" }
            let first = entry.virtualAddress.rawValue / 4096
            for page in first..<(first + bytes / 4096) {
                if !claimed.insert(page).inserted { return "two entries of the batch overlap" }
                if !replacing && pages[page] != nil { return "overlaps a mapped page" }
            }
        }
        for entry in entries {
            let first = entry.virtualAddress.rawValue / 4096, length = entry.size.byteCount / 4096
            if replacing, let refusal = rewrite(first..<(first + length), mustBeMapped: false, largePages: largePages, { _ in nil }) {
                return refusal
            }
            for offset in 0..<length {
                pages[first + offset] = Page(
                    frame: entry.physicalAddress.rawValue / 4096 + offset, protection: entry.protection, cacheMode: entry.cacheMode,
                    isGlobal: entry.attributes.contains(.global), accessed: entry.attributes.contains(.accessed),
                    dirty: entry.attributes.contains(.dirty), entryStart: first, entryPages: length)
            }
        }
        return nil
    }

    private mutating func rewrite(
        _ range: VirtualRange, mustBeMapped: Bool, largePages: LargePagePolicy, _ change: (Page) -> Page?
    ) -> String? {
        rewrite(range.lowerPage..<range.upperPage, mustBeMapped: mustBeMapped, largePages: largePages, change)
    }

    /// Changes every page of `range` with `change` (`nil`: unmap it). An entry `change` leaves
    /// as it is stays whole; one it changes that sticks out of the range is refused, or with
    /// `demote` cut into the largest aligned pages that fit on each side.
    private mutating func rewrite(
        _ range: Range<UInt64>, mustBeMapped: Bool, largePages: LargePagePolicy, _ change: (Page) -> Page?
    ) -> String? {
        if mustBeMapped, range.contains(where: { pages[$0] == nil }) { return "a page of the range is not mapped" }
        var entryStarts: Set<UInt64> = []
        for page in range { if let found = pages[page] { entryStarts.insert(found.entryStart) } }
        for start in entryStarts.sorted() {
            guard let head = pages[start] else { continue }
            let entry = start..<(start + head.entryPages)
            if change(head) == head { continue }
            let inside = max(entry.lowerBound, range.lowerBound)..<min(entry.upperBound, range.upperBound)
            if inside != entry {
                guard largePages == .demote else { return "the range cuts a large page" }
                for part in [entry.lowerBound..<inside.lowerBound, inside, inside.upperBound..<entry.upperBound] where !part.isEmpty {
                    repiece(part, maximum: head.entryPages)
                }
            }
            for page in inside {
                pages[page] = pages[page].flatMap(change)
            }
        }
        return nil
    }

    /// Gives the pages of `part` new entries: the largest lengths below `maximum` that are
    /// aligned at each page and fit.
    private mutating func repiece(_ part: Range<UInt64>, maximum: UInt64) {
        var cursor = part.lowerBound
        while cursor < part.upperBound {
            let length = Self.demotionLengths.first { $0 < maximum && cursor % $0 == 0 && part.upperBound - cursor >= $0 } ?? 1
            for page in cursor..<(cursor + length) {
                pages[page]?.entryStart = cursor
                pages[page]?.entryPages = length
            }
            cursor += length
        }
    }

    /// Demotes the entry starting at `page` into entries of `length`, or promotes the pages
    /// `page..<page + length` into one.
    private mutating func resize(_ page: UInt64, to length: UInt64) -> String? {
        if let here = pages[page], here.entryPages >= length {
            guard here.entryStart == page else { return "the address is inside an entry, not at its start" }
            for offset in 0..<here.entryPages {
                pages[page + offset]?.entryStart = page + offset / length * length
                pages[page + offset]?.entryPages = length
            }
            return nil
        }
        guard page % length == 0 else { return "promotion to a misaligned address" }
        let span = page..<(page + length)
        guard let first = pages[page] else { return "promotion over an unmapped page" }
        var accessed = false, dirty = false
        for current in span {
            guard let part = pages[current] else { return "promotion over an unmapped page" }
            if part.entryStart < span.lowerBound || part.entryStart + part.entryPages > span.upperBound {
                return "promotion over an entry that sticks out"
            }
            if part.protection != first.protection || part.cacheMode != first.cacheMode || part.isGlobal != first.isGlobal {
                return "promotion over unlike pages"
            }
            if part.frame != first.frame + (current - page) { return "promotion over discontiguous frames" }
            accessed = accessed || part.accessed
            dirty = dirty || part.dirty
        }
        if first.frame % length != 0 { return "promotion onto a misaligned frame" }
        for current in span {
            pages[current]?.entryStart = page
            pages[current]?.entryPages = length
            pages[current]?.accessed = accessed
            pages[current]?.dirty = dirty
        }
        return nil
    }

    /// Sets the accessed bit (and the dirty bit for a write) of the whole entry at `page`.
    private mutating func recordAccess(_ page: UInt64, write: Bool, count: UInt64) -> String? {
        guard count > 0 else { return "an access count of zero" }
        guard let here = pages[page] else { return "an access to an unmapped page" }
        for current in here.entryStart..<(here.entryStart + here.entryPages) {
            pages[current]?.accessed = true
            if write { pages[current]?.dirty = true }
        }
        return nil
    }
}
