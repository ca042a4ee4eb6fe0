import Dispatch
import MMUArchitectures
import MMUCore

/// Measures building and randomly translating a hardware table of one format, the median of
/// several runs: reusable by a later combined harness.
struct TableBenchmark {
    /// What one format's measurement gives.
    struct Result {
        var format: String
        var entries: Int
        var buildMedian: Double
        var buildRange: ClosedRange<Double>
        var translateMedian: Double
        var translateRange: ClosedRange<Double>
        var tablePages: Int

        /// Entries built per second (median run).
        var buildRate: Double { Double(entries) / buildMedian }
        /// Lookups per second (median run).
        var translateRate: Double { Double(lookups) / translateMedian }
        var lookups: Int
    }

    var entryCount = 1 << 20
    var lookupCount = 1 << 20
    var runs = 5
    var sortedLookups = false

    /// A 1M-entry set of 4 KiB pages: a contiguous virtual range (a process's heap) mapped to
    /// pseudo-random frames, in the format's address space.
    func makeSet(for format: PageTableFormat) -> TranslationSet {
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
    func makeAddresses(for set: TranslationSet) -> [VirtualAddress] {
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
    func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Builds and translates `runs` times; the median and range of each.
    func measure(_ format: PageTableFormat) throws -> Result {
        let set = makeSet(for: format)
        var addresses = makeAddresses(for: set)
        if sortedLookups { addresses.sort() }
        var builds: [Double] = [], lookups: [Double] = []
        var table: (any HardwarePageTable)? = nil
        for _ in 0..<runs {
            builds.append(try time { table = try format.makeTable(for: set) })
        }
        guard let built = table else { throw BenchmarkError.noTable }
        var checksum: UInt64 = 0
        for _ in 0..<runs {
            lookups.append(
                time {
                    for address in addresses {
                        if case .mapped(let translation) = built.translate(address, access: .read, privilege: .kernel) {
                            checksum &+= translation.physicalAddress.rawValue
                        }
                    }
                })
        }
        if checksum == 1 { print("") }  // keeps the lookups observable
        builds.sort()
        lookups.sort()
        return Result(
            format: format.name, entries: set.count, buildMedian: builds[runs / 2], buildRange: builds[0]...builds[runs - 1],
            translateMedian: lookups[runs / 2], translateRange: lookups[0]...lookups[runs - 1],
            tablePages: built.footprint.tablePages, lookups: addresses.count)
    }

    /// The same-run reference: ``ReferenceRadix`` built from the x86-64 set and walked with the
    /// same addresses; (build seconds, translate seconds), medians.
    func measureReference() -> (build: Double, translate: Double) {
        guard let format = PageTableFormat(named: "x86_64-4level") else { return (0, 0) }
        let set = makeSet(for: format)
        let pages = set.entries.map { ($0.virtualAddress.rawValue >> 12 & ((1 << 36) - 1), $0.physicalAddress.rawValue >> 12) }
        let addresses = makeAddresses(for: set).map(\.rawValue)
        var builds: [Double] = [], lookups: [Double] = []
        var reference = ReferenceRadix()
        for _ in 0..<runs {
            builds.append(
                time {
                    reference = ReferenceRadix()
                    reference.build(pages)
                })
        }
        var checksum: UInt64 = 0
        for _ in 0..<runs {
            lookups.append(time { for address in addresses { checksum &+= reference.translate(address) } })
        }
        if checksum == 1 { print("") }
        return (builds.sorted()[runs / 2], lookups.sorted()[runs / 2])
    }

    enum BenchmarkError: Error { case noTable }
}
