extension TranslationSet.Transaction {
    /// Maps one page (the proposal's `mmu_map`).
    ///
    /// - Parameters:
    ///   - replacing: Unmap whatever overlaps first, instead of failing with
    ///     ``MappingError/overlap(_:existing:)``.
    ///   - largePages: With `replacing`, what to do with an existing entry that sticks out of
    ///     the new page.
    /// - Throws: ``MappingError`` when the entry is misaligned, invalid for the architecture,
    ///   overlaps without `replacing`, or conflicts with another set as a global entry.
    public func map(
        _ virtualAddress: VirtualAddress, to physicalAddress: PhysicalAddress, size: PageSize = .size4KiB,
        protection: Protection, attributes: MMUEntry.Attributes = [], cacheMode: CacheMode = .writeBack,
        replacing: Bool = false, largePages: LargePagePolicy = .reject
    ) throws {
        try map(
            MMUEntry(
                virtualAddress, to: physicalAddress, size: size, protection: protection, attributes: attributes,
                cacheMode: cacheMode),
            replacing: replacing, largePages: largePages)
    }

    /// Maps one entry; see ``map(_:to:size:protection:attributes:cacheMode:replacing:largePages:)``.
    public func map(_ entry: MMUEntry, replacing: Bool = false, largePages: LargePagePolicy = .reject) throws {
        try validate(entry)
        try operation(\.maps) {
            if replacing {
                try rewrite(entry.range, requireMapped: false, largePages: largePages) { _ in nil }
            } else if let existing = try fetch(entry.range).first {
                throw MappingError.overlap(entry, existing: existing)
            }
            try apply(removing: [], inserting: [entry])
        }
    }

    /// Maps many entries at once, in any order: the bulk path (one range query for all of them).
    ///
    /// - Throws: ``MappingError`` as ``map(_:replacing:largePages:)`` does, for the first bad
    ///   entry; then nothing is mapped.
    /// - Complexity: O(*n* log *n* + *k*) for *k* existing entries in the span of the batch.
    public func map(contentsOf entries: [MMUEntry], replacing: Bool = false, largePages: LargePagePolicy = .reject)
        throws
    {
        guard !entries.isEmpty else { return }
        try operation(\.maps, counting: entries.count) {
            try insertBatch(entries, replacing: replacing, largePages: largePages)
        }
    }

    /// Validates, sorts and inserts a batch; the body of the bulk map and of copy.
    private func insertBatch(_ entries: [MMUEntry], replacing: Bool, largePages: LargePagePolicy) throws {
        guard !entries.isEmpty else { return }
        let batch = try TranslationSet(entries: entries, architecture: architecture).entries
        if replacing {
            for entry in batch {
                try rewrite(entry.range, requireMapped: false, largePages: largePages) { _ in nil }
            }
        } else {
            let span = VirtualRange(pages: batch[0].pageNumber..<(batch.map(\.range.upperPage).max() ?? 0))
            let existing = try fetch(span)
            var next = 0
            for entry in batch {
                while next < existing.count, existing[next].range.upperPage <= entry.pageNumber { next += 1 }
                if next < existing.count, existing[next].range.overlaps(entry.range) {
                    throw MappingError.overlap(entry, existing: existing[next])
                }
            }
        }
        try apply(removing: [], inserting: batch)
    }

    /// Copies the private entries of `source` that lie in `range` into this set at the same
    /// virtual addresses (the proposal's `copy_range`).
    ///
    /// - Parameters:
    ///   - largePages: What to do with a source entry that sticks out of `range`, and, with
    ///     `replacing`, with an existing entry that sticks out of a copied one.
    /// - Throws: ``MappingError`` for an overlap (without `replacing`) or an entry this set's
    ///   architecture cannot hold; then nothing is copied.
    public func copy(
        _ range: VirtualRange, from source: TranslationSet, replacing: Bool = false,
        largePages: LargePagePolicy = .reject
    ) throws {
        try copy(range, entries: Array(source.entries(overlapping: range)), replacing: replacing, largePages: largePages)
    }

    /// Copies from another set of the same store, read inside this transaction; see
    /// ``copy(_:from:replacing:largePages:)``.
    ///
    /// - Throws: ``MappingError/unknownSet(_:)`` when there is no such set.
    public func copy(
        _ range: VirtualRange, fromSetNamed name: String, replacing: Bool = false, largePages: LargePagePolicy = .reject
    ) throws {
        try copy(
            range, entries: try backend.entries(inSetNamed: name, overlapping: range), replacing: replacing,
            largePages: largePages)
    }

    private func copy(_ range: VirtualRange, entries: [MMUEntry], replacing: Bool, largePages: LargePagePolicy) throws {
        var pieces: [MMUEntry] = []
        for entry in entries where !entry.isGlobal {
            var copied = entry
            copied.attributes.subtract(.accessState)
            guard let inside = copied.range.intersection(range), inside != copied.range else {
                pieces.append(copied)
                continue
            }
            guard largePages == .demote else { throw MappingError.cutsLargePage(entry, range) }
            pieces += split(copied, pages: inside.pages)
        }
        try operation(\.copies) {
            try insertBatch(pieces, replacing: replacing, largePages: largePages)
        }
    }
}
