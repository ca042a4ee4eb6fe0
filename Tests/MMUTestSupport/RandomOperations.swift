import MMUCore

/// Generates random transaction operations over a small window of the address space, dense
/// enough that overlaps, cuts of large pages, promotions and demotions all happen often.
public struct RandomOperations {
    /// Where pages are mapped: one user window and one kernel-half window.
    public static let windows: [UInt64] = [0x0000_7f00_0000_0000, 0xffff_8000_0000_0000]
    /// The size of each window: eight 2 MiB regions.
    public static let windowBytes: UInt64 = 8 << 21

    public var generator: SplitMix64
    /// Names of other sets that `copy` may read from.
    public var otherSets: [String]
    /// The page sizes to use; 4 KiB and 2 MiB keep page-granular models small.
    public var sizes: [PageSize]

    public init(seed: UInt64, otherSets: [String] = [], sizes: [PageSize] = [.size4KiB, .size2MiB]) {
        self.generator = SplitMix64(seed: seed)
        self.otherSets = otherSets
        self.sizes = sizes
    }

    mutating func chance(_ percent: UInt64) -> Bool { generator.next() % 100 < percent }

    mutating func pick<T>(_ values: [T]) -> T { values[Int(generator.next() % UInt64(values.count))] }

    /// A page-aligned address in one of the windows, aligned to `size`.
    public mutating func address(alignedTo size: PageSize) -> VirtualAddress {
        let base = pick(Self.windows)
        let slots = Self.windowBytes / size.byteCount
        return VirtualAddress(base + (generator.next() % slots) * size.byteCount)
    }

    /// A frame aligned to `size`, below 1 TiB.
    public mutating func frame(alignedTo size: PageSize) -> PhysicalAddress {
        let slots = (UInt64(1) << 40) / size.byteCount
        return PhysicalAddress((generator.next() % slots) * size.byteCount)
    }

    public mutating func protection() -> Protection {
        pick([[.read], [.read, .write], [.read, .execute], [.read, .user], [.read, .write, .user], [.read, .execute, .user], [.read, .write, .execute, .user]])
    }

    /// A range of 1 to 1024 pages, sometimes unaligned to large pages so it cuts them.
    public mutating func range() -> VirtualRange {
        let start = address(alignedTo: .size4KiB)
        let pages = chance(30) ? PageSize.size2MiB.pageCount * (1 + generator.next() % 2) : 1 + generator.next() % 1024
        let upper = min(start.pageNumber + pages, (start.rawValue & ~(Self.windowBytes - 1)) / 4096 + Self.windowBytes / 4096)
        return VirtualRange(pages: start.pageNumber..<max(upper, start.pageNumber + 1))
    }

    public mutating func largePages() -> LargePagePolicy { chance(70) ? .demote : .reject }

    /// A contiguous run of 4 KiB pages over one whole 2 MiB region, mapped to aligned,
    /// contiguous frames, alike: ready to be promoted.
    public mutating func promotableRun() -> [MMUEntry] {
        let start = address(alignedTo: .size2MiB)
        let frame = frame(alignedTo: .size2MiB)
        let protection = protection()
        return (0..<PageSize.size2MiB.pageCount).map { index in
            MMUEntry(
                VirtualAddress(start.rawValue + index * 4096), to: PhysicalAddress(frame.rawValue + index * 4096),
                protection: protection)
        }
    }

    /// The next operation. Some will fail (overlaps, holes, cuts without demotion): that is the point.
    public mutating func next() -> TransactionOperation {
        switch generator.next() % 100 {
        case 0..<35:
            let size = chance(80) ? sizes[0] : pick(sizes)
            let entry = MMUEntry(
                address(alignedTo: size), to: frame(alignedTo: size), size: size, protection: protection(),
                attributes: chance(5) ? .global : [], cacheMode: chance(10) ? pick(CacheMode.allCases) : .writeBack)
            return .map(entry, replacing: chance(40), largePages: largePages())
        case 35..<45: return .unmap(range(), largePages: largePages())
        case 45..<52: return .clear(range(), largePages: largePages())
        case 52..<64: return .protect(range(), protection(), largePages: largePages())
        case 64..<76:
            let size = pick(sizes)
            return .resize(address(alignedTo: chance(50) ? size : .size4KiB), to: size)
        case 76..<79: return .makeGlobal(range(), largePages: largePages())
        case 79..<88: return .recordAccess(address(alignedTo: .size4KiB), write: chance(50), count: 1 + generator.next() % 3)
        case 88..<91: return .recordFault(address(alignedTo: .size4KiB), count: 1)
        case 91..<94 where !otherSets.isEmpty:
            return .copy(range(), fromSet: pick(otherSets), replacing: chance(50), largePages: largePages())
        default:
            return .mapBatch(promotableRun(), replacing: chance(30), largePages: .demote)
        }
    }
}
