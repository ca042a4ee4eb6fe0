import MMUCore

/// The live state of one set held in memory between the transactions of a replay: its live
/// entries with their access bits, and its page counters. A transaction that finds it current
/// answers its page lookups and counter reads from here instead of the database; every write
/// still goes to the database, and to this copy beside it.
///
/// It is current while the set's row says what it said when this copy was last brought up to
/// date (``Stamp``): no other writer, and no transaction that rolled back, has changed the set
/// since. Any doubt drops it: a stale stamp, a failed operation inside a transaction, a
/// global entry written or present.
struct WarmSet {
    /// What the set's row and the global set's head said when this copy was last current.
    struct Stamp: Equatable {
        var generation: Int64
        var headDigest: UInt64
        var stateDigest: UInt64
        var createdAt: String
        var globalHead: Int64
    }

    /// The most live entries or page counters a set may have to be held in memory.
    static let limit = 1 << 21

    let setID: Int64
    var stamp: Stamp
    /// The live entries by first page, with their access bits.
    private(set) var entries: [UInt64: MMUEntry]
    /// The page shifts of the live entries above 4 KiB, ascending (where a covering entry may start).
    private(set) var largeShifts: [UInt8]
    /// The counters of every page the set has counted.
    var counters: [Int64: ActivityRow]

    /// A copy of `entries` (live, by first page) and `counters` (by page), current at `stamp`.
    init(setID: Int64, stamp: Stamp, entries: [UInt64: MMUEntry], counters: [Int64: ActivityRow]) {
        self.setID = setID
        self.stamp = stamp
        self.entries = entries
        self.largeShifts = Set(entries.values.map(\.size.shift).filter { $0 > 12 }).sorted()
        self.counters = counters
    }

    /// The live entry that maps the 4 KiB page `page`, if any.
    func entry(covering page: UInt64) -> MMUEntry? {
        if let entry = entries[page] { return entry }
        for shift in largeShifts {
            let start = page & ~((1 << UInt64(shift - 12)) - 1)
            if let entry = entries[start], entry.range.upperPage > page { return entry }
        }
        return nil
    }

    /// Notes a new live entry, its access bits as `entry` carries them.
    mutating func insert(_ entry: MMUEntry) {
        var live = entry
        live.attributes = entry.attributes.intersection(.accessState)
        entries[entry.pageNumber] = live
        let shift = entry.size.shift
        if shift > 12, !largeShifts.contains(shift) { largeShifts = (largeShifts + [shift]).sorted() }
    }

    /// Notes that the live entry starting at `page` is gone.
    mutating func removeEntry(startingAt page: UInt64) {
        entries[page] = nil
    }

    /// Notes new access bits of the live entry starting at `page`.
    mutating func setAccessState(_ state: MMUEntry.Attributes, ofEntryAt page: UInt64) {
        entries[page]?.attributes = state.intersection(.accessState)
    }
}
