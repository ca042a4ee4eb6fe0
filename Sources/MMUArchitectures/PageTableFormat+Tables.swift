import MMUCore

extension PageTableFormat {
    /// Builds this format's hardware table for a translation set (the load path).
    ///
    /// Entries the format cannot hold fail the build with one error listing all of them,
    /// unless `options` allow splitting them into supported pages.
    ///
    /// - Throws: ``PageTableError/unrepresentable(_:format:)``,
    ///   ``PageTableError/noFreePhysicalRange(pages:below:)`` or
    ///   ``PageTableError/hashTableFull(entries:format:)``.
    /// - Complexity: O(*n* · levels) for radix formats, O(*n*) expected for hashed ones.
    public func makeTable(for set: TranslationSet, options: BuildOptions = BuildOptions()) throws(PageTableError)
        -> any HardwarePageTable
    {
        try makeTable(entries: set.entries, options: options)
    }

    /// Builds the table for entries sorted by address and disjoint (a set's `entries`).
    func makeTable(entries: [MMUEntry], options: BuildOptions) throws(PageTableError) -> any HardwarePageTable {
        try Self.checkSortedAndDisjoint(entries)
        let prepared = try prepared(entries, options: options)
        switch family {
        // One concrete type per format: each builds through an engine compiled for its codec.
        case .x86(.fourLevel): return try X86FourLevelPageTable(building: prepared, format: self, options: options)
        case .x86(.fiveLevel): return try X86FiveLevelPageTable(building: prepared, format: self, options: options)
        case .x86(.legacy): return try X86LegacyPageTable(building: prepared, format: self, options: options)
        case .x86(.pae): return try X86PAEPageTable(building: prepared, format: self, options: options)
        case .aarch64(virtualBits: 48): return try AArch64FortyEightBitPageTable(building: prepared, format: self, options: options)
        case .aarch64: return try AArch64ThirtyNineBitPageTable(building: prepared, format: self, options: options)
        case .riscv(levels: 3): return try RISCVSv39PageTable(building: prepared, format: self, options: options)
        case .riscv(levels: 4): return try RISCVSv48PageTable(building: prepared, format: self, options: options)
        case .riscv: return try RISCVSv57PageTable(building: prepared, format: self, options: options)
        case .ia64Long:
            return IA64LongVHPTTable(engine: try IA64LongVHPT.build(format: self, entries: prepared, options: options))
        case .ia64Short:
            return IA64ShortVHPTTable(engine: try IA64ShortVHPT.build(format: self, entries: prepared, options: options))
        case .ppc64:
            return PPC64HashedTable(engine: try PPC64HashedPageTable.build(format: self, entries: prepared, options: options))
        }
    }

    /// Checks that entries are sorted by address and do not overlap (a set built with
    /// `TranslationSet(validatedEntries:)` is only checked in debug builds).
    ///
    /// - Throws: ``PageTableError/overlapsTable(_:)`` naming the second of two entries out of
    ///   order or overlapping.
    static func checkSortedAndDisjoint(_ entries: [MMUEntry]) throws(PageTableError) {
        var end: UInt64 = 0
        var isFirst = true
        for entry in entries {
            let start = entry.virtualAddress.rawValue
            guard isFirst || start >= end, end != 0 || isFirst else { throw .overlapsTable(entry) }
            isFirst = false
            end = start &+ (1 << UInt64(entry.size.shift))
        }
    }

    /// Whether image pages hold big-endian doublewords (PowerPC).
    var isBigEndian: Bool {
        if case .ppc64 = family { return true }
        return false
    }

    /// A table of this format over pages read from an image.
    func importTable(manifest: ImageManifest, store: FrameStore) throws(ImageError) -> any HardwarePageTable {
        switch family {
        case .x86(.fourLevel): return try X86FourLevelPageTable(importing: manifest, format: self, store: store)
        case .x86(.fiveLevel): return try X86FiveLevelPageTable(importing: manifest, format: self, store: store)
        case .x86(.legacy): return try X86LegacyPageTable(importing: manifest, format: self, store: store)
        case .x86(.pae): return try X86PAEPageTable(importing: manifest, format: self, store: store)
        case .aarch64(virtualBits: 48): return try AArch64FortyEightBitPageTable(importing: manifest, format: self, store: store)
        case .aarch64: return try AArch64ThirtyNineBitPageTable(importing: manifest, format: self, store: store)
        case .riscv(levels: 3): return try RISCVSv39PageTable(importing: manifest, format: self, store: store)
        case .riscv(levels: 4): return try RISCVSv48PageTable(importing: manifest, format: self, store: store)
        case .riscv: return try RISCVSv57PageTable(importing: manifest, format: self, store: store)
        case .ia64Long:
            return IA64LongVHPTTable(engine: try IA64LongVHPT.importing(format: self, manifest: manifest, store: store))
        case .ia64Short:
            return IA64ShortVHPTTable(engine: try IA64ShortVHPT.importing(format: self, manifest: manifest, store: store))
        case .ppc64:
            return PPC64HashedTable(engine: try PPC64HashedPageTable.importing(format: self, manifest: manifest, store: store))
        }
    }
}
