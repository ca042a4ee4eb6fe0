extension TranslationSet.Transaction {
    /// Changes the page size at `address` (the proposal's `mksize`).
    ///
    /// *Demotion* (`size` smaller than the entry starting at `address`) splits that entry into
    /// equal pages of `size`. *Promotion* (`size` larger) replaces the entries covering
    /// `[address, address + size)` by one page; as FreeBSD's superpage promotion demands, they
    /// must cover the range completely, map physically contiguous frames starting at a frame
    /// aligned to `size`, and be alike (protection, cache mode, global bit). The promoted page
    /// is accessed or dirty if any of its parts was. Resizing to the current size does nothing.
    ///
    /// - Throws: ``MappingError/misaligned(_:_:)``, ``MappingError/unsupportedPageSize(_:architecture:)``,
    ///   ``MappingError/notEntryStart(_:_:)``, ``MappingError/promotionIncomplete(_:missing:)``,
    ///   ``MappingError/promotionUnlike(_:_:)`` or ``MappingError/promotionNotContiguous(_:expected:)``.
    public func resize(_ address: VirtualAddress, to size: PageSize) throws {
        if let architecture, !architecture.supports(size) {
            throw MappingError.unsupportedPageSize(size, architecture: architecture.name)
        }
        try operation(\.resizes) {
            let here = try fetch(VirtualRange(pages: address.pageNumber..<(address.pageNumber + 1))).first
            if let here, here.size >= size {
                guard here.virtualAddress == address else { throw MappingError.notEntryStart(address, here) }
                guard here.size > size else { return }
                let pieces = stride(from: here.pageNumber, to: here.range.upperPage, by: Int(size.pageCount)).map {
                    here.piece($0..<($0 + size.pageCount), size: size)
                }
                try apply(removing: [here], inserting: pieces)
            } else {
                try promote(address, to: size)
            }
        }
    }

    private func promote(_ address: VirtualAddress, to size: PageSize) throws {
        guard address.isAligned(to: size) else { throw MappingError.misaligned(address, size) }
        let range = VirtualRange(pages: address.pageNumber..<(address.pageNumber + size.pageCount))
        let parts = try fetch(range)
        if let missing = firstHole(in: range, coveredBy: parts) {
            throw MappingError.promotionIncomplete(range, missing: missing)
        }
        let first = parts[0]
        if let outside = parts.first(where: { !range.contains($0.range) }) {
            throw MappingError.notEntryStart(outside.range.contains(address) ? address : range.lastAddress, outside)
        }
        let base = PhysicalAddress(frameNumber: first.frameNumber)
        guard base.isAligned(to: size) else { throw MappingError.promotionNotContiguous(first, expected: base.alignedDown(to: size)) }
        for part in parts {
            guard part.isAlike(first) else { throw MappingError.promotionUnlike(first, part) }
            let expected = PhysicalAddress(frameNumber: first.frameNumber + (part.pageNumber - first.pageNumber))
            guard part.physicalAddress == expected else { throw MappingError.promotionNotContiguous(part, expected: expected) }
        }
        var promoted = first
        promoted.size = size
        promoted.attributes = parts.reduce(first.attributes) { $0.union($1.attributes) }
        try validate(promoted)
        try apply(removing: parts, inserting: [promoted])
    }
}

extension PhysicalAddress {
    /// The start of the frame of the given size that contains this address.
    public func alignedDown(to size: PageSize) -> PhysicalAddress {
        PhysicalAddress(rawValue & ~(size.byteCount - 1))
    }
}
