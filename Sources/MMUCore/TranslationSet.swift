/// An address space: sorted, non-overlapping MMU entries, as a value.
///
/// Corresponds to the proposal's `mmu_translation_set_t`. Change one only through
/// ``update(_:)``, which runs a ``Transaction`` whose operations are all applied or, if the
/// body throws, none of them. Copying the value duplicates the set (the proposal's `dup`,
/// a fork).
public struct TranslationSet: Hashable, Sendable {
    /// The architecture the set declares; transactions are checked against it.
    public var architecture: Architecture?
    /// The entries, sorted by virtual address, never overlapping.
    public private(set) var entries: [MMUEntry]
    /// Unversioned per-page counters, keyed by 4 KiB page number.
    public private(set) var pageActivity: [UInt64: PageActivity]
    /// The process's memory areas (VMAs), sorted, never overlapping; empty unless a
    /// transaction defined some.
    public private(set) var areas: [MemoryArea]

    /// Creates an empty set.
    public init(architecture: Architecture? = nil) {
        self.architecture = architecture
        self.entries = []
        self.pageActivity = [:]
        self.areas = []
    }

    /// Creates a set holding `entries`, in any order.
    ///
    /// - Throws: ``MappingError`` when an entry is misaligned, two overlap, or the architecture
    ///   cannot hold one.
    /// - Complexity: O(*n* log *n*).
    public init(entries: [MMUEntry], architecture: Architecture? = nil) throws(MappingError) {
        let sorted = entries.sorted { $0.pageNumber < $1.pageNumber }
        for (index, entry) in sorted.enumerated() {
            try Self.validate(entry, architecture: architecture)
            if index > 0, sorted[index - 1].range.overlaps(entry.range) {
                throw .overlap(entry, existing: sorted[index - 1])
            }
        }
        self.architecture = architecture
        self.entries = sorted
        self.pageActivity = [:]
        self.areas = []
    }

    /// Creates a set from entries already known to be valid, sorted and disjoint (as read back
    /// from a store). Checked only in debug builds.
    public init(
        validatedEntries: [MMUEntry], architecture: Architecture?, pageActivity: [UInt64: PageActivity] = [:],
        areas: [MemoryArea] = []
    ) {
        self.architecture = architecture
        self.entries = validatedEntries
        self.pageActivity = pageActivity
        self.areas = areas
        assert(zip(validatedEntries, validatedEntries.dropFirst()).allSatisfy { $0.range.upperPage <= $1.pageNumber })
    }

    /// The number of entries.
    public var count: Int { entries.count }

    /// Whether the set maps nothing.
    public var isEmpty: Bool { entries.isEmpty }

    /// The total number of bytes mapped.
    public var byteCount: UInt64 { entries.reduce(0) { $0 + $1.size.byteCount } }

    /// The entry that maps `address`, or `nil`.
    ///
    /// - Complexity: O(log *n*).
    public func entry(containing address: VirtualAddress) -> MMUEntry? {
        let index = entries.firstIndex(endingAfter: address.pageNumber)
        guard index < entries.count, entries[index].range.contains(address) else { return nil }
        return entries[index]
    }

    /// The physical address `address` translates to, or `nil` when it is not mapped.
    ///
    /// - Complexity: O(log *n*).
    public func translate(_ address: VirtualAddress) -> PhysicalAddress? {
        entry(containing: address)?.translate(address)
    }

    /// The entries that overlap `range`, sorted.
    ///
    /// - Complexity: O(log *n* + *k*) for *k* results.
    public func entries(overlapping range: VirtualRange) -> ArraySlice<MMUEntry> {
        entries[entries.indices(overlapping: range)]
    }

    /// Runs a transaction on the set: every operation of `body` applies, or none does.
    ///
    /// - Returns: What changed, including the stale ranges.
    /// - Throws: Whatever `body` throws (typically ``MappingError``); the set is then unchanged.
    @discardableResult
    public mutating func update(_ body: (Transaction) throws -> Void) throws -> TransactionSummary {
        let backend = Storage(self)
        let transaction = Transaction(backend: backend)
        try body(transaction)
        entries = backend.entries
        pageActivity = backend.pageActivity
        areas = backend.areas
        return transaction.summary
    }

    /// Checks what every entry needs whatever the set: alignment, and the architecture's rules.
    static func validate(_ entry: MMUEntry, architecture: Architecture?) throws(MappingError) {
        guard entry.virtualAddress.isAligned(to: entry.size) else { throw .misaligned(entry.virtualAddress, entry.size) }
        guard entry.physicalAddress.isAligned(to: entry.size) else {
            throw .misalignedFrame(entry.physicalAddress, entry.size)
        }
        try architecture?.check(entry)
    }
}

extension [MMUEntry] {
    /// In a sorted, disjoint array: the index of the first entry whose end is above `pageNumber`.
    package func firstIndex(endingAfter pageNumber: UInt64) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].range.upperPage <= pageNumber { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// In a sorted, disjoint array: the indices of the entries that overlap `range`.
    func indices(overlapping range: VirtualRange) -> Range<Int> {
        let first = firstIndex(endingAfter: range.lowerPage)
        var last = first
        while last < count, self[last].pageNumber < range.upperPage { last += 1 }
        return first..<last
    }

    /// In a sorted, disjoint array: the entry with the lowest address among those starting in
    /// `range`, or `nil`.
    func firstEntry(startingIn range: VirtualRange) -> MMUEntry? {
        let index = firstIndex(endingAfter: range.lowerPage)
        guard index < endIndex else { return nil }
        let entry = self[index].pageNumber >= range.lowerPage ? self[index] : dropFirst(index + 1).first
        return entry.flatMap { $0.pageNumber < range.upperPage ? $0 : nil }
    }

    /// In a sorted, disjoint array: the index of the live entry `entry`.
    func index(ofLive entry: MMUEntry) -> Int {
        let index = firstIndex(endingAfter: entry.pageNumber)
        precondition(index < count && self[index].pageNumber == entry.pageNumber, "\(entry) is not live")
        return index
    }
}
