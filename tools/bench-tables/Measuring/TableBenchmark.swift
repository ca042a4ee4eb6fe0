import Dispatch
import MMUArchitectures
import MMUCore

/// Build and random-translate figures for hardware page tables, each run interleaved with a
/// minimal same-run reference of the format's own shape (``ReferenceTable``: a radix walk of
/// the same depth and entry size, hashed records, a linear table, a PTEG search), so that a
/// figure taken on a loaded machine can be read against the reference measured under the same
/// load. Both sides translate the same addresses and must find the same frames: a
/// disagreement fails the run.
///
/// A harness calls ``run(progress:)`` and gets one ``Figure`` per format and operation, with
/// every sample: `mmu-bench-tables` prints them, `mmu-bench` folds them into its table.
public struct TableBenchmark {
    /// What is measured.
    public enum Operation: String, Sendable {
        /// Building the table from a translation set (``PageTableFormat/makeTable(for:options:)``).
        case build
        /// Random lookups through ``HardwarePageTable/translate(_:access:privilege:)``.
        case translate
    }

    /// One format's samples for one operation, ours and the reference's, one per run.
    public struct Figure: Sendable {
        /// The format name.
        public var format: String
        /// The operation.
        public var operation: Operation
        /// `entries/s` (build) or `lookups/s` (translate).
        public var unit: String
        /// Our rates, run by run.
        public var samples: [Double]
        /// The reference's rates, each measured right after or before ours in the same run.
        public var referenceSamples: [Double]
        /// What the reference is.
        public var referenceName: String
        /// The target rate, where the project set one (build).
        public var target: Double?
        /// The target share of the reference's median rate, where the project set one
        /// (translate: 0.8 of the same-format minimal walk).
        public var targetRatio: Double?
        /// Table pages of our table.
        public var tablePages: Int
        /// The sum of the physical addresses both sides found (translate only; the run fails
        /// when they differ).
        public var checksum: UInt64?

        /// `format operation`, such as `x86_64-4level translate`.
        public var name: String { "\(format) \(operation.rawValue)" }
        /// Our median rate.
        public var median: Double { Self.median(samples) }
        /// The reference's median rate.
        public var referenceMedian: Double { Self.median(referenceSamples) }
        /// Our median over the reference's.
        public var ratio: Double { median / referenceMedian }
        /// Whether our median meets the target (`nil` without one).
        public var meetsTarget: Bool? {
            if let targetRatio { return ratio >= targetRatio }
            return target.map { median >= $0 }
        }

        /// The median of `values` (the mean of the middle two for an even count).
        public static func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return .nan }
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }
    }

    /// The formats to measure.
    public var formats: [PageTableFormat]
    /// Entries per set (4 KiB pages).
    public var entryCount: Int
    /// Random lookups per translate sample.
    public var lookupCount: Int
    /// Runs (samples) per figure.
    public var runs: Int
    /// Whether lookups are sorted by address (a sequential walk) rather than random.
    public var sortedLookups: Bool

    /// A benchmark of `formats` (all by default) with 1M entries, 1M lookups and 5 runs.
    public init(
        formats: [PageTableFormat] = PageTableFormat.all, entryCount: Int = 1 << 20, lookupCount: Int = 1 << 20,
        runs: Int = 5, sortedLookups: Bool = false
    ) {
        self.formats = formats
        self.entryCount = entryCount
        self.lookupCount = lookupCount
        self.runs = runs
        self.sortedLookups = sortedLookups
    }

    /// The build targets set for the load path (1M 4 KiB entries): radix 25M entries/s,
    /// IA-64 long-format VHPT 10M.
    public static func target(for format: PageTableFormat, _ operation: Operation) -> Double? {
        guard operation == .build else { return nil }
        if format.isRadix { return 25e6 }
        if format.name == "ia64-vhpt-long" { return 10e6 }
        return nil
    }

    /// The translate target of every format: 0.8 of its same-format minimal reference in the
    /// same run.
    public static let translateTargetRatio = 0.8

    /// Measures every format: build and translate, ours and the reference, interleaved run by
    /// run (the order alternates between runs).
    ///
    /// - Throws: A ``PageTableError`` when a format cannot build its set, an ``ImageError``
    ///   when its table cannot be walked, or ``Disagreement`` when our lookups and the
    ///   reference's find different frames.
    public func run(progress: (String) -> Void = { _ in }) throws -> [Figure] {
        var figures: [Figure] = []
        for format in formats {
            progress("tables: \(format.name)")
            figures += try measure(format)
        }
        return figures
    }

    /// Our lookups and the reference's found different frames for the same addresses.
    public struct Disagreement: Error, CustomStringConvertible {
        /// The format.
        public var format: String
        /// The sums of the physical addresses found, ours and the reference's.
        public var ours: UInt64, reference: UInt64
        /// A sentence naming the format and both answers.
        public var description: String {
            "\(format): our lookups found frames summing to 0x\(String(ours, radix: 16)), the reference's to 0x\(String(reference, radix: 16))"
        }
    }

    /// A set of 4 KiB pages: a contiguous virtual range (a process's heap) mapped to
    /// pseudo-random frames, in the format's address space.
    public func makeSet(for format: PageTableFormat) -> TranslationSet {
        let base: UInt64 =
            switch format.name {
            case "ia64-vhpt-long", "ia64-vhpt-short": 0x2000_0000_0000_0000
            case "i386", "i386-pae": 0
            default: 0x0000_0010_0000_0000
            }
        // i386 maps all 4 GiB with 1M pages: keep its frames in the upper 3 GiB so the page
        // tables find room below 4 GiB.
        let frames: UInt64 = format.name == "i386" ? 3 << 18 : 1 << 28
        let firstFrame: UInt64 = format.name == "i386" ? 1 << 18 : 0
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var entries: [MMUEntry] = []
        entries.reserveCapacity(entryCount)
        for index in 0..<UInt64(entryCount) {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let frame = firstFrame + (state >> 20) % frames
            entries.append(
                MMUEntry(
                    VirtualAddress(base + index << 12), to: PhysicalAddress(frame << 12),
                    protection: index % 4 == 0 ? [.read, .execute, .user] : [.read, .write, .user],
                    attributes: index % 3 == 0 ? [.dirty] : []))
        }
        return TranslationSet(validatedEntries: entries, architecture: nil)
    }

    /// Random addresses: 7 of 8 inside the mapped range, the rest just above it.
    public func makeAddresses(for set: TranslationSet) -> [VirtualAddress] {
        let base = set.entries.first?.virtualAddress.rawValue ?? 0
        let span = UInt64(set.count) << 12
        var state: UInt64 = 42
        return (0..<lookupCount).map { index in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let offset = (state >> 16) % span
            let unmapped = (base + span + offset % (1 << 30)) & (base == 0 ? 0xFFFF_FFFF : .max)
            return VirtualAddress(index % 8 == 7 ? unmapped : base + offset)
        }
    }

    /// Seconds taken by `body`.
    private func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Our lookups: the sum of the physical addresses found (keeps the walks observable).
    ///
    /// Generic, so that a table held as `any HardwarePageTable` is opened once rather than
    /// projected at every call; each lookup is still a call through the protocol's witness
    /// table, as for any caller that does not know the concrete type.
    @inline(never)
    private func lookUp<Table: HardwarePageTable>(_ addresses: [VirtualAddress], in table: Table) -> UInt64 {
        var checksum: UInt64 = 0
        for address in addresses {
            if case .mapped(let translation) = table.translate(address, access: .read, privilege: .kernel) {
                checksum &+= translation.physicalAddress.rawValue
            }
        }
        return checksum
    }

    /// Build and translate figures of one format.
    private func measure(_ format: PageTableFormat) throws -> [Figure] {
        let set = makeSet(for: format)
        var addresses = makeAddresses(for: set)
        if sortedLookups { addresses.sort() }
        let rawAddresses = addresses.map(\.rawValue)
        let pages = set.entries.map { ($0.virtualAddress.rawValue, $0.physicalAddress.rawValue >> 12) }
        var builds: [Double] = [], referenceBuilds: [Double] = []
        var lookups: [Double] = [], referenceLookups: [Double] = []
        var tablePages = 0
        var checksum: UInt64 = 0
        for run in 0..<runs {
            var table: (any HardwarePageTable)!
            var referenceTable = ReferenceTable(for: format.name)
            let buildOurs = { table = try format.makeTable(for: set) }
            let buildReference = { referenceTable.build(pages) }
            if run % 2 == 0 {
                builds.append(try seconds(buildOurs))
                referenceBuilds.append(seconds(buildReference))
            } else {
                referenceBuilds.append(seconds(buildReference))
                builds.append(try seconds(buildOurs))
            }
            let built: any HardwarePageTable = table
            tablePages = try built.footprint.tablePages
            var ours: UInt64 = 0, reference: UInt64 = 0
            let translateOurs = { ours = lookUp(addresses, in: built) }
            let translateReference = { reference = referenceTable.translate(rawAddresses) }
            if run % 2 == 0 {
                lookups.append(seconds(translateOurs))
                referenceLookups.append(seconds(translateReference))
            } else {
                referenceLookups.append(seconds(translateReference))
                lookups.append(seconds(translateOurs))
            }
            guard ours == reference else { throw Disagreement(format: format.name, ours: ours, reference: reference) }
            checksum = ours
        }
        let referenceName = ReferenceTable.name(for: format.name)
        let entries = Double(set.count), count = Double(addresses.count)
        return [
            Figure(
                format: format.name, operation: .build, unit: "entries/s", samples: builds.map { entries / $0 },
                referenceSamples: referenceBuilds.map { entries / $0 }, referenceName: referenceName,
                target: Self.target(for: format, .build), targetRatio: nil, tablePages: tablePages, checksum: nil),
            Figure(
                format: format.name, operation: .translate, unit: "lookups/s", samples: lookups.map { count / $0 },
                referenceSamples: referenceLookups.map { count / $0 }, referenceName: referenceName,
                target: nil, targetRatio: Self.translateTargetRatio, tablePages: tablePages, checksum: checksum),
        ]
    }
}
