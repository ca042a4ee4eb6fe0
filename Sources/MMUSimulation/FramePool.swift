import MMUCore

/// The physical memory of a simulation: the buddy allocator, the frames mapped by every
/// address space, and the 2 MiB reservations.
///
/// Frames are placed FreeBSD-style: the first fault in a 2 MiB-aligned region that lies inside
/// one THP-eligible area (anonymous, heap or stack, private) reserves an aligned 2 MiB block,
/// and every page of the region then takes the frame at its own offset in that block, so a
/// fully populated region is physically contiguous and can be promoted where it is, without
/// copying. Both page policies place frames this way, so the same trace gives the same frames
/// under `4k` and `thp`.
///
/// A block is *reserved* while at least one eligible 4 KiB page maps a frame of it at the
/// page's own offset (virtual and physical page numbers equal modulo 512): its unmapped frames
/// then stay out of the allocator. Everything here is therefore a function of the mapped pages
/// and their areas, which is what lets a restored simulation rebuild it exactly.
struct FramePool: Hashable, Sendable {
    /// The allocator of free frames.
    private(set) var allocator: BuddyAllocator
    /// Frames mapped by 4 KiB pages, in every address space.
    private(set) var mapped: Set<UInt64> = []
    /// First frames of the blocks mapped by 2 MiB pages.
    private(set) var mappedBlocks: Set<UInt64> = []
    /// For each reserved block, the number of pages that reserve it.
    private(set) var reservations: [UInt64: Int] = [:]

    /// The order of a 2 MiB block.
    static let largeOrder = 9
    /// 4 KiB pages per 2 MiB block.
    static let blockPages: UInt64 = 512

    init(allocator: BuddyAllocator) {
        self.allocator = allocator
    }

    /// The first frame of the 2 MiB block holding `frame`.
    static func block(of frame: UInt64) -> UInt64 { frame & ~(blockPages - 1) }

    /// Whether an eligible page at `page` mapping `frame` reserves the frame's block.
    static func reserves(page: UInt64, frame: UInt64) -> Bool {
        page % blockPages == frame % blockPages
    }

    /// Whether a page maps the frame.
    func isMapped(_ frame: UInt64) -> Bool {
        mapped.contains(frame) || mappedBlocks.contains(Self.block(of: frame))
    }

    /// Whether the block is reserved.
    func isReserved(_ block: UInt64) -> Bool { reservations[block, default: 0] > 0 }

    /// The frames in use: mapped, or held by a reservation.
    var usedFrameCount: UInt64 { allocator.frameCount - allocator.freeFrameCount }

    /// The frame for a 4 KiB page that faults in, or `nil` when memory is full.
    ///
    /// - Parameters:
    ///   - eligible: Whether the page's area takes reservations.
    ///   - regionBlock: The block the page's region has reserved, if any.
    ///   - regionFits: Whether the page's 2 MiB region lies inside its area, so that a new
    ///     reservation may be made.
    /// - Returns: The frame, and whether the page reserves its block.
    mutating func frameForFault(page: UInt64, eligible: Bool, regionBlock: UInt64?, regionFits: Bool)
        -> (frame: UInt64, reserves: Bool)?
    {
        if eligible {
            if let block = regionBlock {
                let frame = block + page % Self.blockPages
                if isReserved(block), !isMapped(frame) { return (frame, true) }
            } else if regionFits, let block = allocator.allocate(order: Self.largeOrder) {
                reservations[block] = 0
                return (block + page % Self.blockPages, true)
            }
        }
        guard let frame = allocator.allocate(order: 0) else { return nil }
        return (frame, eligible && Self.reserves(page: page, frame: frame))
    }

    /// Records that a 4 KiB page maps `frame` (already taken from the allocator or from a
    /// reservation, or moved from another page).
    mutating func map(_ frame: UInt64, reserving: Bool) {
        mapped.insert(frame)
        guard reserving else { return }
        let block = Self.block(of: frame)
        let before = reservations[block]
        reservations[block] = (before ?? 0) + 1
        if before == nil { claimUnmappedFrames(of: block) }
    }

    /// Records that a 4 KiB page no longer maps `frame`; the frame goes back to the allocator
    /// unless a reservation holds it, or `keepingFrame` (the page moves).
    mutating func unmap(_ frame: UInt64, reserving: Bool, keepingFrame: Bool = false) {
        if !keepingFrame { mapped.remove(frame) }
        let block = Self.block(of: frame)
        if reserving {
            let remaining = reservations[block, default: 0] - 1
            if remaining > 0 {
                reservations[block] = remaining
                return
            }
            reservations[block] = nil
            releaseUnmappedFrames(of: block)
        } else if !keepingFrame, !isReserved(block) {
            allocator.free(frame, order: 0)
        }
    }

    /// Takes a 2 MiB block from the allocator, or `nil` when none is free.
    mutating func allocateBlock() -> UInt64? {
        allocator.allocate(order: Self.largeOrder)
    }

    /// Records that a 2 MiB page maps `block` (already allocated).
    mutating func mapBlock(_ block: UInt64) {
        mappedBlocks.insert(block)
    }

    /// Records that a 2 MiB page no longer maps `block`, which goes back to the allocator.
    mutating func unmapBlock(_ block: UInt64) {
        mappedBlocks.remove(block)
        allocator.free(block, order: Self.largeOrder)
    }

    /// 512 pages of a block, each at its own offset, become one 2 MiB page.
    mutating func promote(_ block: UInt64, reserving: Bool) {
        mappedBlocks.insert(block)
        for frame in block..<(block + Self.blockPages) { mapped.remove(frame) }
        if reserving { reservations[block] = nil }
    }

    /// A 2 MiB page becomes 512 pages, each at its own offset in the block.
    mutating func demote(_ block: UInt64, reserving: Bool) {
        mappedBlocks.remove(block)
        for frame in block..<(block + Self.blockPages) { mapped.insert(frame) }
        if reserving { reservations[block] = Int(Self.blockPages) }
    }

    /// Rebuilds the allocator state once ``restore(frame:reserving:)`` and ``mapBlock(_:)`` have
    /// been called for every page of restored sets (which claim nothing by themselves).
    ///
    /// - Returns: The first frame that could not be claimed (outside memory or used twice).
    mutating func claimRestoredFrames() -> UInt64? {
        for block in mappedBlocks.sorted() where !allocator.claim(block, order: Self.largeOrder) { return block }
        for block in reservations.keys.sorted() where !allocator.claim(block, order: Self.largeOrder) {
            for frame in block..<(block + Self.blockPages) where allocator.isFree(frame) {
                allocator.claim(frame, order: 0)
            }
        }
        for frame in mapped.sorted() where !isReserved(Self.block(of: frame)) {
            guard allocator.claim(frame, order: 0) else { return frame }
        }
        return nil
    }

    /// Marks restored pages as mapped without touching the allocator (see ``claimRestoredFrames()``).
    mutating func restore(frame: UInt64, reserving: Bool) {
        mapped.insert(frame)
        if reserving { reservations[Self.block(of: frame), default: 0] += 1 }
    }

    private mutating func claimUnmappedFrames(of block: UInt64) {
        for frame in block..<(block + Self.blockPages) where !isMapped(frame) && allocator.isFree(frame) {
            allocator.claim(frame, order: 0)
        }
    }

    private mutating func releaseUnmappedFrames(of block: UInt64) {
        for frame in block..<(block + Self.blockPages) where !isMapped(frame) {
            allocator.free(frame, order: 0)
        }
    }
}
