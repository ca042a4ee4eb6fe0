import MMUCore

/// The simulated state of one address space (one translation set): its areas, its pages, its
/// program break, the processes that share it, and the accesses not yet committed.
struct AddressSpace: Sendable {
    /// The name of its translation set.
    var setName: String
    /// The memory areas.
    var areas: AreaMap
    /// The mapped pages.
    var pages = ResidentPages()
    /// The first page of the heap (`start_brk`), once a `brk` call has told it.
    var heapStart: UInt64?
    /// The program break, once a `brk` call has told it.
    var programBreak: UInt64?
    /// The live processes and threads using it.
    var members: Set<Int32?> = []
    /// Accesses and faults waiting for their transaction.
    var batch = AccessBatch()
    /// Regions whose pages or areas changed in the current transaction (promotion candidates).
    var dirtyRegions: Set<UInt64> = []
    /// The index of the area the last access hit, to skip the search for the next one.
    var lastArea: Int?

    init(setName: String, areas: AreaMap = AreaMap()) {
        self.setName = setName
        self.areas = areas
    }

    /// Whether pages of `area` take 2 MiB reservations and may be promoted.
    static func isHugePageEligible(_ area: MemoryArea) -> Bool {
        !area.isShared && (area.kind == .anonymous || area.kind == .heap || area.kind == .stack)
    }

    /// Whether the 2 MiB region lies inside `area`.
    static func regionFits(_ region: UInt64, in area: MemoryArea) -> Bool {
        let first = region * FramePool.blockPages
        return area.range.lowerPage <= first && first + FramePool.blockPages <= area.range.upperPage
    }
}
