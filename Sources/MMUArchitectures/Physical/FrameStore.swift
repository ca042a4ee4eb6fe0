/// Flat storage for table pages: 4 KiB pages of 512 little-endian-valued words, keyed by the
/// physical frame each page sits at.
///
/// Pages live in one allocation (``PageMemory``, 512 words per slot, copied on write), never
/// one object per node. Slots
/// `0..<primaryCount` normally sit at the contiguous frames `primaryBase + slot`, so the
/// common lookup is a subtraction and a compare; pages placed elsewhere (grown or relocated
/// by incremental changes) are found through a small dictionary.
struct FrameStore: Sendable {
    /// Words per 4 KiB page.
    static let wordsPerPage = 512
    /// Marks a free slot in ``frames``.
    static let freeMarker = UInt64.max

    /// The contents of every slot, 512 words each (room for more slots after them).
    private(set) var memory = PageMemory(capacity: 0)
    /// The frame number each slot sits at, or ``freeMarker``.
    private(set) var frames: [UInt64] = []
    /// The frame of slot 0 of the primary run.
    private(set) var primaryBase: UInt64 = 0
    /// The number of slots in the primary run.
    private(set) var primaryCount = 0
    /// Frames of slots outside their primary position.
    private var displaced: [UInt64: Int] = [:]
    /// Free slots, reusable for any frame.
    private var freeSlots: [Int] = []
    /// Whether every slot of the primary run is live at its primary frame (no page of it was
    /// freed or moved), so a frame in the run finds its slot by subtraction alone.
    private(set) var isPrimaryIntact = true {
        didSet { updateIntactRun() }
    }
    /// For walks: the physical address of the primary run.
    private(set) var intactRunStart: UInt64 = 0
    /// For walks: the bytes of the primary run while it is intact, else 0 (so that a walk finds
    /// a table by subtracting ``intactRunStart`` and comparing, and otherwise asks
    /// ``slot(ofFrame:)``).
    private(set) var intactRunBytes: UInt64 = 0

    /// Recomputes ``intactRunStart`` and ``intactRunBytes``.
    private mutating func updateIntactRun() {
        intactRunStart = primaryBase &<< 12
        intactRunBytes = isPrimaryIntact ? UInt64(primaryCount) &<< 12 : 0
    }

    /// Creates an empty store whose primary run will start at `primaryBase`.
    init(primaryBase: UInt64 = 0) {
        self.primaryBase = primaryBase
        updateIntactRun()
    }

    /// The number of live (allocated) pages.
    var pageCount: Int { frames.count - freeSlots.count }

    /// The number of slots, free ones included.
    var slotCount: Int { frames.count }

    /// Reserves room for `count` more pages without reallocating.
    mutating func reserveCapacity(_ count: Int) {
        let needed = (frames.count + count) * Self.wordsPerPage
        if needed > memory.capacity || !isKnownUniquelyReferenced(&memory) {
            memory = memory.copy(count: frames.count * Self.wordsPerPage, capacity: max(needed, memory.capacity))
        }
        frames.reserveCapacity(frames.count + count)
    }

    /// Makes room for one more (zeroed) slot, and makes the memory this store's own.
    private mutating func growForSlot() {
        let used = frames.count * Self.wordsPerPage
        if used + Self.wordsPerPage > memory.capacity {
            memory = memory.copy(count: used, capacity: max(2 * memory.capacity, used + Self.wordsPerPage))
        } else if !isKnownUniquelyReferenced(&memory) {
            memory = memory.copy(count: used, capacity: memory.capacity)
        }
    }

    /// Allocates the next page of the primary run (at `primaryBase + primaryCount`), zeroed.
    ///
    /// Only valid while no slot has been placed outside the primary run.
    mutating func appendPrimary() -> Int {
        precondition(primaryCount == frames.count, "primary run already closed")
        let slot = frames.count
        growForSlot()
        frames.append(primaryBase + UInt64(slot))
        primaryCount += 1
        updateIntactRun()
        return slot
    }

    /// Allocates a zeroed page at `frame`, reusing a free slot when there is one.
    mutating func allocate(frame: UInt64) -> Int {
        let slot: Int
        if let reused = freeSlots.popLast() {
            slot = reused
            frames[slot] = frame
        } else {
            slot = frames.count
            growForSlot()
            frames.append(frame)
        }
        if !(slot < primaryCount && primaryBase &+ UInt64(slot) == frame) { displaced[frame] = slot }
        return slot
    }

    /// Allocates a zeroed page at `frame`, extending the primary run when `frame` follows it.
    mutating func append(frame: UInt64) -> Int {
        if primaryCount == frames.count && frame == primaryBase &+ UInt64(primaryCount) { return appendPrimary() }
        return allocate(frame: frame)
    }

    /// Frees a page; its contents are zeroed.
    mutating func free(slot: Int) {
        if slot < primaryCount { isPrimaryIntact = false }
        let frame = frames[slot]
        displaced[frame] = nil
        frames[slot] = Self.freeMarker
        makeMemoryUnique()
        memory.zero(from: slot * Self.wordsPerPage, count: Self.wordsPerPage)
        freeSlots.append(slot)
    }

    /// Moves a page to another frame, keeping its slot and contents.
    mutating func move(slot: Int, to frame: UInt64) {
        if slot < primaryCount { isPrimaryIntact = false }
        displaced[frames[slot]] = nil
        frames[slot] = frame
        if !(slot < primaryCount && primaryBase &+ UInt64(slot) == frame) { displaced[frame] = slot }
    }

    /// The slot of the live page at `frame`, or `nil`.
    @inline(__always)
    func slot(ofFrame frame: UInt64) -> Int? {
        let offset = frame &- primaryBase
        if offset < UInt64(primaryCount), isPrimaryIntact || frames[Int(offset)] == frame { return Int(offset) }
        if displaced.isEmpty { return nil }
        return displaced[frame]
    }

    /// The frame of a live slot.
    @inline(__always)
    func frame(ofSlot slot: Int) -> UInt64 { frames[slot] }

    /// Whether a slot is live.
    func isLive(_ slot: Int) -> Bool { frames[slot] != Self.freeMarker }

    /// Copies the memory when another store shares it.
    @inline(__always)
    private mutating func makeMemoryUnique() {
        if !isKnownUniquelyReferenced(&memory) {
            memory = memory.copy(count: frames.count * Self.wordsPerPage, capacity: memory.capacity)
        }
    }

    /// Calls `body` with the memory, made this store's own first, to change many words at once
    /// (builds). `body` must not keep the reference.
    mutating func updateMemory<Result>(_ body: (PageMemory) throws -> Result) rethrows -> Result {
        makeMemoryUnique()
        return try body(memory)
    }

    /// The word `index` (0..<512) of a slot. (The memory checks that the word is allocated;
    /// debug builds also check the slot and the index.)
    @inline(__always)
    subscript(slot: Int, index: Int) -> UInt64 {
        get {
            assert(slot >= 0 && slot < frames.count && index >= 0 && index < Self.wordsPerPage, "no such word")
            return memory[slot &* Self.wordsPerPage &+ index]
        }
        set {
            assert(slot >= 0 && slot < frames.count && index >= 0 && index < Self.wordsPerPage, "no such word")
            makeMemoryUnique()
            memory[slot &* Self.wordsPerPage &+ index] = newValue
        }
    }

    /// The live slots and their frames, in slot order.
    var liveSlots: [(slot: Int, frame: UInt64)] {
        frames.enumerated().compactMap { $0.element == Self.freeMarker ? nil : ($0.offset, $0.element) }
    }
}
