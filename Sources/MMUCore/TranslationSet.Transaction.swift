extension TranslationSet {
    /// One atomic batch of changes to a translation set: the proposal's `mmu_transaction_t`.
    ///
    /// Reachable only inside ``TranslationSet/update(_:)``,
    /// ``TranslationSetCollection/update(set:_:)`` or the store's `update(set:label:_:)`.
    /// Each operation is atomic on its own (an operation that throws changes nothing), and the
    /// whole transaction commits only if the closure returns normally; throwing from the
    /// closure discards everything (the proposal's `mmu_forget`).
    ///
    /// The same engine runs over memory and over SQLite (see ``TranslationBackend``), so the
    /// in-memory set is an exact model of the store.
    public final class Transaction {
        let backend: any TranslationBackend
        private var stale: [VirtualRange] = []
        private var counts = OperationCounts()
        /// Whether the backend failed (an I/O error): such a transaction must not commit.
        package private(set) var isPoisoned = false

        /// Creates a transaction over a backend; the store uses this.
        package init(backend: any TranslationBackend) {
            self.backend = backend
        }

        /// The architecture every operation is checked against, if the set declares one.
        public var architecture: Architecture? { backend.architecture }

        /// What the transaction has changed so far.
        public var summary: TransactionSummary {
            TransactionSummary(staleRanges: stale.coalesced(), counts: counts)
        }

        /// Runs one operation so that it changes nothing if it throws.
        @discardableResult
        func operation<Result>(
            _ count: WritableKeyPath<OperationCounts, Int>, counting increment: Int = 1, _ body: () throws -> Result
        ) throws -> Result {
            let savedStale = stale, savedCounts = counts
            do {
                let result = try backend.atomically(body)
                counts[keyPath: count] += increment
                return result
            } catch {
                stale = savedStale
                counts = savedCounts
                if !(error is MappingError) { isPoisoned = true }
                throw error
            }
        }

        /// The live entries overlapping `range`.
        func fetch(_ range: VirtualRange) throws -> [MMUEntry] {
            try backend.entries(overlapping: range)
        }

        /// Checks an entry on its own: alignment and the architecture.
        func validate(_ entry: MMUEntry) throws(MappingError) {
            try TranslationSet.validate(entry, architecture: architecture)
        }

        /// Removes and inserts entries, recording the stale ranges.
        func apply(removing removed: [MMUEntry], inserting inserted: [MMUEntry]) throws {
            for entry in inserted where entry.isGlobal && !removed.contains(where: { $0.isGlobal && $0.range.contains(entry.range) }) {
                if let other = try backend.conflictingSet(forGlobal: entry.range) {
                    throw MappingError.globalConflict(entry, set: other)
                }
            }
            if !removed.isEmpty { try backend.remove(removed) }
            try checkSizeDomains(of: inserted)
            if !inserted.isEmpty { try backend.insert(inserted) }
            stale += removed.map(\.range)
            counts.entriesAdded += inserted.count
            counts.entriesRemoved += removed.count
        }

        /// Checks that entries about to be inserted keep each size domain of the architecture
        /// (an IA-64 short-format region, a PowerPC segment) at one page size. The domains held
        /// one size before, so one remaining entry of each touched domain stands for all.
        func checkSizeDomains(of inserted: [MMUEntry]) throws {
            guard let architecture, architecture.sizeDomainBits != nil else { return }
            var sizes: [UInt64: MMUEntry] = [:]
            for entry in inserted {
                guard let domain = architecture.sizeDomain(of: entry.virtualAddress) else { continue }
                if let other = sizes[domain.lowerPage] {
                    guard other.size == entry.size else {
                        throw MappingError.mixedPageSizes(entry, existing: other, domain: domain, architecture: architecture.name)
                    }
                    continue
                }
                sizes[domain.lowerPage] = entry
                if let existing = try backend.firstEntry(startingIn: domain), existing.size != entry.size {
                    throw MappingError.mixedPageSizes(entry, existing: existing, domain: domain, architecture: architecture.name)
                }
            }
        }

        /// The first page of `range` that `entries` (sorted) leave unmapped, or `nil`.
        func firstHole(in range: VirtualRange, coveredBy entries: [MMUEntry]) -> VirtualAddress? {
            var cursor = range.lowerPage
            for entry in entries {
                if entry.pageNumber > cursor { return VirtualAddress(pageNumber: cursor) }
                cursor = max(cursor, entry.range.upperPage)
            }
            return cursor < range.upperPage ? VirtualAddress(pageNumber: cursor) : nil
        }

        /// Replaces every entry overlapping `range` by `transform(entry)` (removed when `nil`).
        ///
        /// An entry that sticks out of the range is first split at the range's edges when
        /// `largePages` is `.demote`; with `.reject` the cut throws. Entries the transform leaves
        /// equal are not touched at all, so no cut is needed for them.
        ///
        /// - Returns: The number of entries removed or replaced.
        @discardableResult
        func rewrite(
            _ range: VirtualRange, requireMapped: Bool, largePages: LargePagePolicy,
            _ transform: (MMUEntry) -> MMUEntry?
        ) throws -> Int {
            let existing = try fetch(range)
            if requireMapped, let hole = firstHole(in: range, coveredBy: existing) { throw MappingError.notMapped(hole) }
            var removed: [MMUEntry] = [], inserted: [MMUEntry] = []
            for entry in existing {
                let whole = transform(entry)
                if whole == entry { continue }
                removed.append(entry)
                guard let inside = entry.range.intersection(range), inside != entry.range else {
                    if let whole { inserted.append(whole) }
                    continue
                }
                guard largePages == .demote else { throw MappingError.cutsLargePage(entry, range) }
                inserted += split(entry, pages: entry.pageNumber..<inside.lowerPage)
                inserted += split(entry, pages: inside.pages).compactMap(transform)
                inserted += split(entry, pages: inside.upperPage..<entry.range.upperPage)
            }
            try apply(removing: removed, inserting: inserted)
            return removed.count
        }

        /// The sizes demotion splits into: the architecture's, or 4 KiB, 2 MiB and 1 GiB.
        var demotionSizes: [PageSize] {
            (architecture?.pageSizes ?? [.size4KiB, .size2MiB, .size1GiB]).sorted(by: >)
        }

        /// `entry` restricted to `pages`, as the largest aligned pages that fit, in address order.
        func split(_ entry: MMUEntry, pages: Range<UInt64>) -> [MMUEntry] {
            var pieces: [MMUEntry] = []
            var cursor = pages.lowerBound
            while cursor < pages.upperBound {
                let size = demotionSizes.first { size in
                    size < entry.size && cursor % size.pageCount == 0 && pages.upperBound - cursor >= size.pageCount
                } ?? .size4KiB
                pieces.append(entry.piece(cursor..<(cursor + size.pageCount), size: size))
                cursor += size.pageCount
            }
            return pieces
        }
    }
}

@available(*, unavailable, message: "a transaction belongs to the closure that received it")
extension TranslationSet.Transaction: Sendable {}
