import MMUCore

/// What a set would cost in one page-table format: the table's footprint, what the format
/// cannot express of the set, the memory references a TLB miss costs natively and under a
/// nested (two-dimensional) walk, and the reach of a stated TLB.
///
/// The models, each a formula over the format's structure (documented in `CostModels.md`):
///
/// - **Native walk references** for a page of size *s* in a radix format with *L* levels of
///   *b* index bits: *L* − (log2 *s* − 12) / *b* table reads (x86-64 4-level: 4 for 4 KiB, 3
///   for 2 MiB, 2 for 1 GiB). i386 PAE loads its four PDPTEs into registers when CR3 is
///   written, so its walk reads the PD and PT only (2, or 1 for 2 MiB). Hashed formats: the
///   table entries inspected per lookup, averaged over the set's entries as the built table
///   places them (``TableFootprint/averageProbes``; 1 for the IA-64 short format's linear table).
/// - **Nested walk references**: each of the guest's *n* table reads, and the final guest
///   physical address, is a guest physical address the host translates with its own *m*-read
///   walk: *n* + (*n* + 1)·*m* = (*n* + 1)(*m* + 1) − 1 (4-level on 4-level: 24).
/// - **TLB reach**: Σ over page sizes the format maps of entries(*s*) · *s*. **Coverage**: the
///   share of the set's mapped bytes the TLB can hold at once: Σ min(entries(*s*), pages of
///   size *s*) · *s* over the bytes mapped.
public struct TranslationCost: Hashable, Sendable {
    /// One way the format changes or refuses the set's entries, and how many entries it touches.
    public struct Loss: Hashable, Sendable {
        /// What the format cannot express (`global bit dropped (no global bit)`, …).
        public var reason: String
        /// The entries affected.
        public var entries: Int
    }

    /// The references a miss on a page of one size costs.
    public struct Walk: Hashable, Sendable {
        /// The page size.
        public var size: PageSize
        /// The set's entries of this size at addresses the format translates.
        public var entries: Int
        /// Native walk references (table entries read); `nil` when the format cannot map the size.
        public var native: Double?
        /// Nested walk references under the host format; `nil` without a host or a native figure.
        public var nested: Double?
    }

    /// The format.
    public var format: String
    /// The table's footprint, built with unsupported page sizes split; `nil` when no table can be built.
    public var footprint: TableFootprint?
    /// Why no table could be built, if it could not.
    public var buildError: String?
    /// What the format cannot express, by reason.
    public var losses: [Loss]
    /// The walk references per page size of the set.
    public var walks: [Walk]
    /// Native references per translation averaged over the set's entries the format maps (entries
    /// at addresses it cannot translate count in none of the figures but the coverage's denominator).
    public var averageNativeReferences: Double?
    /// Nested references per translation averaged likewise.
    public var averageNestedReferences: Double?
    /// The host format and page size of the nested figures, as `x86_64-4level 4KiB`.
    public var host: String?
    /// The TLB the reach figures are for.
    public var tlb: TLBConfiguration
    /// The bytes the TLB maps at most (sizes the format can map).
    public var tlbReach: UInt64
    /// The share of the set's mapped bytes the TLB can hold at once (0 for an empty set).
    public var tlbCoverage: Double

    /// The cost of `set` in `format`.
    ///
    /// - Parameters:
    ///   - set: The entries to cost.
    ///   - format: The guest (or native) format.
    ///   - host: The host format of the nested walk and the page size it backs guest memory with; `nil` for none.
    ///   - tlb: The TLB the reach is computed for.
    /// - Complexity: O(*n*) for *n* entries, plus the table build.
    public init(of set: TranslationSet, in format: PageTableFormat, host: (format: PageTableFormat, pageSize: PageSize)? = nil, tlb: TLBConfiguration = .example) {
        self.format = format.name
        self.tlb = tlb
        do {
            footprint = try format.makeTable(for: set, options: BuildOptions(splitsUnsupportedPages: true)).footprint
            buildError = nil
        } catch {
            footprint = nil
            buildError = "\(error)"
        }
        losses = Self.losses(of: set, in: format)
        var bySize: [PageSize: Int] = [:]
        for entry in set.entries where format.architecture.addressing.isValid(entry.range) { bySize[entry.size, default: 0] += 1 }
        let hostReferences = host.flatMap { $0.format.walkReferences(for: $0.pageSize, averageProbes: nil) }
        self.host = host.map { "\($0.format.name) \($0.pageSize)" }
        let probes = footprint?.averageProbes
        walks = bySize.keys.sorted().map { size in
            let native = format.walkReferences(for: size, averageProbes: probes)
            return Walk(
                size: size, entries: bySize[size] ?? 0, native: native,
                nested: native.flatMap { n in hostReferences.map { PageTableFormat.nestedWalkReferences(guest: n, host: $0) } })
        }
        averageNativeReferences = Self.average(walks.map { ($0.native, $0.entries) })
        averageNestedReferences = Self.average(walks.map { ($0.nested, $0.entries) })
        tlbReach = tlb.entries.filter { format.pageSizes.contains($0.key) }.reduce(0) { $0 + UInt64($1.value) * $1.key.byteCount }
        let mapped = set.byteCount
        let held = bySize.filter { format.pageSizes.contains($0.key) }.reduce(UInt64(0)) {
            $0 + UInt64(min(tlb.entries[$1.key] ?? 0, $1.value)) * $1.key.byteCount
        }
        tlbCoverage = mapped == 0 ? 0 : Double(held) / Double(mapped)
    }

    /// The mean of the figures present, each weighted by its entries; `nil` when none is present.
    static func average(_ figures: [(Double?, Int)]) -> Double? {
        let counted = figures.compactMap { figure, entries in figure.map { ($0, entries) } }
        let entries = counted.reduce(0) { $0 + $1.1 }
        return entries == 0 ? nil : counted.reduce(0) { $0 + $1.0 * Double($1.1) } / Double(entries)
    }

    /// The ways `format` changes or refuses the entries of `set`, each with its count, in a fixed order.
    static func losses(of set: TranslationSet, in format: PageTableFormat) -> [Loss] {
        let reasons = [
            "page size not mapped (split into smaller pages)", "address outside what the format translates",
            "read right added (a mapped page is always readable)", "execute right added (no execute-disable bit)",
            "execute right dropped (uncached pages are guarded)", "global bit dropped (no global bit)",
            "write-through becomes write-back (no encoding)",
        ]
        var counts = [Int](repeating: 0, count: reasons.count)
        for entry in set.entries {
            if !format.pageSizes.contains(entry.size) { counts[0] += 1 }
            if !format.architecture.addressing.isValid(entry.range) { counts[1] += 1 }
            let normalized = format.normalized(entry)
            if normalized.protection.contains(.read) && !entry.protection.contains(.read) { counts[2] += 1 }
            if normalized.protection.contains(.execute) && !entry.protection.contains(.execute) { counts[3] += 1 }
            if !normalized.protection.contains(.execute) && entry.protection.contains(.execute) { counts[4] += 1 }
            if entry.isGlobal && !normalized.isGlobal { counts[5] += 1 }
            if entry.cacheMode == .writeThrough && normalized.cacheMode != .writeThrough { counts[6] += 1 }
        }
        return zip(reasons, counts).filter { $0.1 > 0 }.map { Loss(reason: $0.0, entries: $0.1) }
    }
}

extension PageTableFormat {
    /// The table entries a walk reads to translate an address in a page of `size`: the levels
    /// above and including the leaf for radix formats (i386 PAE's PDPTEs are registers), and
    /// `averageProbes` (or 1) for hashed formats; `nil` when the format cannot map `size`.
    public func walkReferences(for size: PageSize, averageProbes: Double?) -> Double? {
        guard pageSizes.contains(size) else { return nil }
        let skipped = Int(size.shift) - 12
        switch family {
        case .x86(.fourLevel): return Double(4 - skipped / 9)
        case .x86(.fiveLevel): return Double(5 - skipped / 9)
        case .x86(.legacy): return Double(2 - skipped / 10)
        case .x86(.pae): return Double(2 - skipped / 9)
        case .aarch64(let bits): return Double((bits - 12 + 8) / 9 - skipped / 9)
        case .riscv(let levels): return Double(levels - skipped / 9)
        case .ia64Long, .ia64Short, .ppc64: return averageProbes ?? 1
        }
    }

    /// The references of a two-dimensional (nested) walk: a guest walk of `guest` reads, each
    /// read and the final guest physical address translated by a host walk of `host` reads:
    /// (*n* + 1)(*m* + 1) − 1.
    public static func nestedWalkReferences(guest: Double, host: Double) -> Double {
        (guest + 1) * (host + 1) - 1
    }
}
