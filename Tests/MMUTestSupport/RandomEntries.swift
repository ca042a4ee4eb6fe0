import MMUCore

/// Generates random, valid translation sets for an architecture: mixed page sizes, user and
/// kernel-half (or every IA-64 region) addresses, frames up to the largest the format allows,
/// every protection, cache mode and attribute.
public struct RandomEntries {
    public var generator: SplitMix64
    public let architecture: Architecture
    /// Frames stay below this address (the Unicorn x86 walker reaches 1 TiB only).
    public var physicalLimit: UInt64?
    /// Page sizes to draw from; the architecture's by default.
    public var sizes: [PageSize]
    /// Cache modes to draw from.
    public var cacheModes: [CacheMode] = CacheMode.allCases

    public init(seed: UInt64, architecture: Architecture, physicalLimit: UInt64? = nil, sizes: [PageSize]? = nil) {
        self.generator = SplitMix64(seed: seed)
        self.architecture = architecture
        self.physicalLimit = physicalLimit
        self.sizes = sizes ?? architecture.pageSizes
    }

    mutating func below(_ bound: UInt64) -> UInt64 { bound == 0 ? 0 : generator.next() % bound }

    /// Windows of virtual addresses `(base, span)` valid for the architecture, low and high.
    public var windows: [(base: UInt64, span: UInt64)] {
        let span: UInt64 = 16 << 30
        switch architecture.addressing {
        case .signExtended(let bits):
            let half = UInt64(1) << UInt64(bits - 1)
            return [(0, span), (half - span, span), (~(half - 1), span), (0 &- span, span)]
        case .splitHalves(let bits):
            let half = UInt64(1) << UInt64(bits)
            return [(0, span), (half - span, span), (0 &- half, span), (0 &- span, span)]
        case .zeroExtended:
            return [(0, 1 << 30), (3 << 30, 1 << 30)]
        case .regions(let implementedBits):
            let top = UInt64(1) << UInt64(implementedBits - 1)
            return (0..<8).flatMap { region -> [(UInt64, UInt64)] in
                let base = UInt64(region) << 61
                return [(base, span), (base &+ (1 << 61) &- top, span), (base &+ (1 << 61) &- span, span)]
            }
        case .unrestricted:
            return [(0, span), (0x4000_0000_0000, span), (0xC000_0000_0000_0000, span), (0 &- span, span)]
        }
    }

    /// The highest (exclusive) frame address allowed for pages of `size`.
    func physicalEnd(_ size: PageSize, bits: Int) -> UInt64 {
        let width = bits >= 64 ? UInt64.max : UInt64(1) << UInt64(bits)
        return min(width, physicalLimit ?? .max)
    }

    /// One random entry in a random window (it may overlap earlier ones).
    public mutating func entry(physicalBits: (PageSize) -> Int) -> MMUEntry {
        // Mostly the smallest size; larger ones sometimes, the largest rarely (they cover a lot).
        let roll = generator.next() % 16
        let size =
            roll < 11 || sizes.count == 1
            ? sizes[0] : roll < 15 ? sizes[1 + Int(below(UInt64(max(1, sizes.count - 2))))] : sizes[Int(below(UInt64(sizes.count)))]
        let windows = self.windows
        let window = windows[Int(below(UInt64(windows.count)))]
        // Cluster half the entries in the first 64 MiB of the window so tables fill up.
        let span = generator.next() % 2 == 0 ? min(window.span, 64 << 20) : window.span
        let slots = max(1, span / size.byteCount)
        let va = window.base + below(slots) * size.byteCount
        let end = physicalEnd(size, bits: physicalBits(size))
        let frames = end / size.byteCount
        let pa: UInt64 =
            switch generator.next() % 8 {
            case 0: (frames - 1) * size.byteCount  // the largest frame the format allows
            case 1: (frames - 1 - below(64)) * size.byteCount
            default: below(frames) * size.byteCount
            }
        var attributes: MMUEntry.Attributes = []
        if generator.next() % 5 == 0 { attributes.insert(.global) }
        if generator.next() % 2 == 0 { attributes.insert(.accessed) }
        if generator.next() % 3 == 0 { attributes.insert(.dirty) }
        let cache = generator.next() % 4 == 0 ? cacheModes[Int(below(UInt64(cacheModes.count)))] : .writeBack
        return MMUEntry(
            VirtualAddress(va), to: PhysicalAddress(pa), size: size, protection: Protection(rawValue: UInt8(below(16))),
            attributes: attributes, cacheMode: cache)
    }

    /// A set of up to `count` random entries (overlapping draws are dropped).
    public mutating func set(count: Int, physicalBits: (PageSize) -> Int) -> TranslationSet {
        var drawn = (0..<count).map { _ in entry(physicalBits: physicalBits) }
        drawn.sort { $0.virtualAddress < $1.virtualAddress }
        var kept: [MMUEntry] = []
        for entry in drawn where kept.last.map({ !$0.range.overlaps(entry.range) }) ?? true {
            kept.append(entry)
        }
        return TranslationSet(validatedEntries: kept, architecture: nil)
    }

    /// A random address: inside a random entry of `set` (mapped) or anywhere in a window.
    public mutating func address(in set: TranslationSet, mapped: Bool) -> VirtualAddress {
        if mapped, !set.entries.isEmpty {
            let entry = set.entries[Int(below(UInt64(set.entries.count)))]
            return VirtualAddress(entry.virtualAddress.rawValue + below(entry.size.byteCount))
        }
        let windows = self.windows
        let window = windows[Int(below(UInt64(windows.count)))]
        switch generator.next() % 4 {
        case 0:
            // A 32-bit CPU cannot even present a wider address: stay inside its space.
            if case .zeroExtended(let bits) = architecture.addressing {
                return VirtualAddress(generator.next() & ((1 << UInt64(bits)) - 1))
            }
            return VirtualAddress(generator.next())
        default: return VirtualAddress(window.base + below(min(window.span, 128 << 20)))
        }
    }
}
