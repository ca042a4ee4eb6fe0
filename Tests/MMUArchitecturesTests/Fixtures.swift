import MMUArchitectures
import MMUCore
import MMUTestSupport

/// Random sets every format can hold as they are.
enum Fixtures {
    /// Every format with every property seed.
    static let cases: [(PageTableFormat, UInt64)] = PageTableFormat.all.flatMap { format in PropertySeeds.all.map { (format, $0) } }

    /// A random set for `format`, made representable without splitting: IA-64 short-format sets
    /// keep one page size per region and stay out of the linear-table window; PowerPC sets keep
    /// one page size per 256 MiB segment.
    static func randomSet(_ format: PageTableFormat, seed: UInt64, count: Int, random: inout RandomEntries) -> TranslationSet {
        let set = random.set(count: count, physicalBits: format.physicalBits)
        return representable(format, set)
    }

    /// Drops the entries that would need splitting or cannot be placed at all.
    static func representable(_ format: PageTableFormat, _ set: TranslationSet) -> TranslationSet {
        guard let shift = format.groupShift else { return set }
        var sizes: [UInt64: PageSize] = [:]
        let kept = set.entries.filter { entry in
            if format.name == "ia64-vhpt-short",
                (entry.virtualAddress.rawValue & ((1 << 61) - 1)) &+ entry.size.byteCount > (1 << 61) - (1 << 42)
            {
                return false
            }
            let key = entry.virtualAddress.rawValue >> shift
            if sizes[key] == nil { sizes[key] = entry.size }
            return sizes[key] == entry.size
        }
        return TranslationSet(validatedEntries: kept, architecture: nil)
    }
}

extension PageTableFormat {
    /// The shift of the address groups that must share one page size, if the format has them.
    var groupShift: UInt64? {
        switch name {
        case "ia64-vhpt-short": 61
        case "ppc64-hpt": 28
        default: nil
        }
    }
}

func firstDifference(_ a: [MMUEntry], _ b: [MMUEntry]) -> String {
    for (x, y) in zip(a, b) where x != y { return "\(x) vs \(y)" }
    return a.count == b.count ? "none" : "count \(a.count) vs \(b.count)"
}
