extension TranslationSet {
    /// What is resident in one memory area (as `pmap -X` reports it): the entries mapped in it,
    /// by page size, their bytes inside the area, and how many are accessed and dirty.
    public struct AreaResidency: Hashable, Sendable {
        /// The area.
        public var area: MemoryArea
        /// The entries overlapping the area, counted per page size.
        public var entriesBySize: [PageSize: Int]
        /// The bytes of those entries inside the area (a large page straddling its end counts only its part inside).
        public var residentBytes: UInt64
        /// The entries with the accessed bit (known at the head only).
        public var accessed: Int
        /// The entries with the dirty bit (known at the head only).
        public var dirty: Int
    }

    /// The residency of each memory area, in area order.
    ///
    /// - Complexity: O(*a* log *n* + *m*) for *a* areas, *n* entries and *m* entries inside areas.
    public func areaResidency() -> [AreaResidency] {
        areas.map { area in
            var residency = AreaResidency(area: area, entriesBySize: [:], residentBytes: 0, accessed: 0, dirty: 0)
            for entry in entries(overlapping: area.range) {
                residency.entriesBySize[entry.size, default: 0] += 1
                residency.residentBytes += entry.range.intersection(area.range)?.byteCount ?? 0
                if entry.attributes.contains(.accessed) { residency.accessed += 1 }
                if entry.attributes.contains(.dirty) { residency.dirty += 1 }
            }
            return residency
        }
    }
}
