/// The slots of the pages a batch touched: an open-addressing hash table from page number to
/// slot, hashed by multiply-shift with a random odd multiplier, so that a trace cannot be
/// written to make its pages collide (a collision costs time, never a wrong answer).
struct PageSlots: Sendable {
    /// The page of each bucket (``empty`` for none) and its slot.
    private var pages: [UInt64]
    private var slots: [Int]
    /// Buckets minus one: the capacity is a power of two.
    private var mask: Int
    /// 64 less the bits of a bucket index: the hash is the top bits of the product.
    private var shift: UInt64
    private let multiplier = UInt64.random(in: 0...UInt64.max) | 1
    /// Pages held.
    private(set) var count = 0

    /// A page number no access has: above the last 4 KiB page of a 64-bit address space.
    private static let empty = UInt64.max

    init() {
        pages = [UInt64](repeating: Self.empty, count: 64)
        slots = [Int](repeating: 0, count: 64)
        mask = 63
        shift = 58
    }

    /// The slot of `page`, or `nil` when it has none.
    ///
    /// - Complexity: O(1) expected.
    func slot(of page: UInt64) -> Int? {
        var index = bucket(of: page)
        while true {
            let found = pages[index]
            if found == page { return slots[index] }
            if found == Self.empty { return nil }
            index = (index + 1) & mask
        }
    }

    /// Gives `page`, which has no slot yet, the slot `slot`.
    ///
    /// - Complexity: O(1) amortized.
    mutating func insert(_ page: UInt64, slot: Int) {
        if (count + 1) * 2 > pages.count { grow() }
        var index = bucket(of: page)
        while pages[index] != Self.empty { index = (index + 1) & mask }
        pages[index] = page
        slots[index] = slot
        count += 1
    }

    private func bucket(of page: UInt64) -> Int {
        Int(truncatingIfNeeded: (page &* multiplier) &>> shift)
    }

    /// Doubles the buckets and places every page again.
    private mutating func grow() {
        let (oldPages, oldSlots) = (pages, slots)
        pages = [UInt64](repeating: Self.empty, count: oldPages.count * 2)
        slots = [Int](repeating: 0, count: oldPages.count * 2)
        mask = pages.count - 1
        shift -= 1
        count = 0
        for (page, slot) in zip(oldPages, oldSlots) where page != Self.empty { insert(page, slot: slot) }
    }
}
