import MMUCore

/// Generates random memory area (VMA) replacements over a small window of pages: new areas,
/// removed ones, and areas grown, shrunk, split, reprotected, renamed or re-backed; sometimes
/// the same areas again (rows that die and are born again equal).
public struct RandomAreas {
    /// The pages areas live in: `window` pages from `base`.
    public static let base: UInt64 = 0x7f00_0000_0
    /// The number of pages in the window.
    public static let window: UInt64 = 160

    public var generator: SplitMix64

    public init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func pick<T>(_ values: [T]) -> T { values[Int(generator.next() % UInt64(values.count))] }

    /// One replacement: a range and the areas that replace every area overlapping it.
    ///
    /// The new areas lie within the span of the range and the areas it removes, which no
    /// area that stays overlaps, so the replacement is always accepted.
    public mutating func next(in tx: TranslationSet.Transaction) throws -> (range: VirtualRange, areas: [MemoryArea]) {
        let start = Self.base + generator.next() % Self.window
        let range = VirtualRange(pages: start..<min(start + 1 + generator.next() % 16, Self.base + Self.window))
        let removed = try tx.areas(overlapping: range)
        if !removed.isEmpty, generator.next() % 5 == 0 { return (range, removed) }
        let low = min(range.lowerPage, removed.first?.range.lowerPage ?? .max)
        let high = max(range.upperPage, removed.last?.range.upperPage ?? 0)
        var areas: [MemoryArea] = []
        var page = low + generator.next() % 3
        while page < high {
            let end = min(high, page + 1 + generator.next() % 12)
            if generator.next() % 4 != 0 {
                areas.append(MemoryArea(
                    range: VirtualRange(pages: page..<end), protection: pick([.read, [.read, .write], [.read, .execute], []]),
                    kind: pick([.anonymous, .file, .heap]), isShared: generator.next() % 4 == 0, name: pick(["", "[heap]", "/lib/libc.so.6"])))
            }
            page = end + generator.next() % 3
        }
        return (range, areas)
    }
}
