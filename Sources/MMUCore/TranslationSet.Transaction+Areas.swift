extension TranslationSet.Transaction {
    /// The live memory areas that overlap `range`, sorted by address.
    public func areas(overlapping range: VirtualRange) throws -> [MemoryArea] {
        try backend.areas(overlapping: range)
    }

    /// Replaces every memory area that overlaps `range` (whole areas, not only the part in the
    /// range) by `areas`, which must include whatever of the removed areas the caller keeps.
    ///
    /// - Throws: ``MappingError/areaOverlap(_:existing:)`` when the new areas overlap each other
    ///   or an area that stays; then nothing changes.
    public func replaceAreas(in range: VirtualRange, with areas: [MemoryArea]) throws {
        let sorted = areas.sorted { $0.range.lowerPage < $1.range.lowerPage }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.range.overlaps(next.range) {
            throw MappingError.areaOverlap(next, existing: previous)
        }
        try operation(\.areas) {
            let removed = try backend.areas(overlapping: range)
            for area in sorted {
                if let kept = try backend.areas(overlapping: area.range).first(where: { !removed.contains($0) }) {
                    throw MappingError.areaOverlap(area, existing: kept)
                }
            }
            if !removed.isEmpty { try backend.removeAreas(removed) }
            if !sorted.isEmpty { try backend.insertAreas(sorted) }
        }
    }
}
