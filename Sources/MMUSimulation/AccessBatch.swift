import MMUCore

/// The accesses of one address space not yet committed: per page touched, its counts and what
/// an access to it needs to know, in flat arrays indexed by a slot that one hash lookup finds.
struct AccessBatch: Sendable {
    /// What the simulation knows of a page touched in the batch, so that the next access to it
    /// needs neither the area search nor the resident-page lookup.
    struct Place: Sendable {
        /// The protection of the area that holds the page, or `nil` outside every area.
        var protection: Protection?
        /// Whether the page is mapped.
        var isMapped: Bool
    }

    /// Access events counted.
    var events = 0
    /// The first and last trace lines.
    var firstLine = 0
    var lastLine = 0
    /// Pages faulted in, to map.
    var newEntries: [MMUEntry] = []
    /// The pages touched, in the order first touched.
    private(set) var pageNumbers: [UInt64] = []
    /// Reads, writes and faults of each page touched: one counter update per page when committed.
    var counts: [AccessCounts] = []
    /// What is known of each page touched; `nil` until looked up, and again after a transaction
    /// changed the space (see ``forgetPlaces()``).
    var places: [Place?] = []
    /// The slot of each page touched.
    private var slots = PageSlots()
    /// The page of the last slot found, and that slot: accesses run on one page.
    private var lastPage = UInt64.max
    private var lastSlot = 0

    var isEmpty: Bool { events == 0 }

    /// The slot of `page`, made (with zero counts and no place) on its first touch.
    mutating func slot(of page: UInt64) -> Int {
        if page == lastPage { return lastSlot }
        let slot: Int
        if let found = slots.slot(of: page) {
            slot = found
        } else {
            slot = pageNumbers.count
            slots.insert(page, slot: slot)
            pageNumbers.append(page)
            counts.append(AccessCounts())
            places.append(nil)
        }
        (lastPage, lastSlot) = (page, slot)
        return slot
    }

    /// Forgets what is known of the pages' areas and mappings, which a transaction may have changed.
    mutating func forgetPlaces() {
        for slot in places.indices { places[slot] = nil }
    }

    /// The counts of every page touched, in page order.
    var countsByPage: [(page: UInt64, counts: AccessCounts)] {
        zip(pageNumbers, counts).sorted { $0.0 < $1.0 }.map { (page: $0.0, counts: $0.1) }
    }
}
