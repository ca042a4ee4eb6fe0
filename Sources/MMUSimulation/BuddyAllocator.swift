/// A binary buddy allocator of physical frames, as Linux's page allocator.
///
/// Memory is a run of 4 KiB frames split into free blocks of 2^order frames, each aligned to its
/// size. Allocating takes the lowest-addressed block of the smallest sufficient order and splits
/// it; freeing merges a block with its buddy for as long as the buddy is free. Because merging is
/// eager and the choice is the lowest address, the allocator's state is a function of its set of
/// free frames alone: an allocator rebuilt from the frames in use (``claim(_:order:)``) behaves
/// exactly as the one that produced them, which is what makes restored simulations exact.
public struct BuddyAllocator: Hashable, Sendable {
    /// The first frame number managed.
    public let firstFrame: UInt64
    /// The number of frames managed (a multiple of `2^maximumOrder`).
    public let frameCount: UInt64
    /// The largest block order (10 gives 4 MiB blocks, as Linux's `MAX_ORDER`).
    public let maximumOrder: Int
    /// The number of free frames.
    public private(set) var freeFrameCount: UInt64

    /// Free blocks by order: the first frame of each.
    private var free: [Set<UInt64>]
    /// The same blocks as min-heaps, with stale entries skipped lazily.
    private var lowest: [MinimumHeap]

    /// Creates an allocator with every frame free.
    ///
    /// - Precondition: `firstFrame` and `frameCount` are multiples of `2^maximumOrder`, and
    ///   `frameCount` is not zero.
    public init(firstFrame: UInt64, frameCount: UInt64, maximumOrder: Int = 10) {
        let top = UInt64(1) << UInt64(maximumOrder)
        precondition(frameCount > 0 && frameCount % top == 0 && firstFrame % top == 0, "memory not aligned to blocks of order \(maximumOrder)")
        self.firstFrame = firstFrame
        self.frameCount = frameCount
        self.maximumOrder = maximumOrder
        self.freeFrameCount = frameCount
        self.free = Array(repeating: [], count: maximumOrder + 1)
        self.lowest = Array(repeating: MinimumHeap(), count: maximumOrder + 1)
        for block in stride(from: firstFrame, to: firstFrame + frameCount, by: Int(top)) {
            free[maximumOrder].insert(block)
            lowest[maximumOrder].insert(block)
        }
    }

    /// Whether the frame lies in the managed memory.
    public func contains(_ frame: UInt64) -> Bool {
        frame >= firstFrame && frame - firstFrame < frameCount
    }

    /// Allocates a block of `2^order` frames, aligned to its size.
    ///
    /// - Returns: The first frame of the block, or `nil` when no block that large is free.
    /// - Complexity: O(`maximumOrder` · log *n*) amortized for *n* free blocks.
    public mutating func allocate(order: Int) -> UInt64? {
        precondition((0...maximumOrder).contains(order), "order \(order) outside 0...\(maximumOrder)")
        guard let found = (order...maximumOrder).first(where: { !free[$0].isEmpty }) else { return nil }
        let block = popLowest(order: found)
        var current = found
        while current > order {
            current -= 1
            add(block + (UInt64(1) << UInt64(current)), order: current)
        }
        freeFrameCount -= UInt64(1) << UInt64(order)
        return block
    }

    /// Frees a block that was allocated with the same order, merging it with free buddies.
    ///
    /// - Complexity: O(`maximumOrder` · log *n*).
    public mutating func free(_ frame: UInt64, order: Int) {
        precondition(contains(frame) && (frame - firstFrame) % (UInt64(1) << UInt64(order)) == 0, "frame \(frame) is not a block of order \(order)")
        assert(!isFree(frame), "frame \(frame) freed twice")
        freeFrameCount += UInt64(1) << UInt64(order)
        var block = frame
        var current = order
        while current < maximumOrder {
            let buddy = firstFrame + ((block - firstFrame) ^ (UInt64(1) << UInt64(current)))
            guard free[current].remove(buddy) != nil else { break }
            block = min(block, buddy)
            current += 1
        }
        add(block, order: current)
    }

    /// Marks the block of `2^order` frames at `frame`, which must be entirely free, as allocated:
    /// how a restored simulation rebuilds the allocator from the frames in use.
    ///
    /// - Returns: `false` (changing nothing) when part of the block is not free.
    /// - Complexity: O(`maximumOrder` · log *n*).
    @discardableResult
    public mutating func claim(_ frame: UInt64, order: Int) -> Bool {
        guard contains(frame), (frame - firstFrame) % (UInt64(1) << UInt64(order)) == 0 else { return false }
        for containing in order...maximumOrder {
            let block = firstFrame + ((frame - firstFrame) & ~((UInt64(1) << UInt64(containing)) - 1))
            guard free[containing].remove(block) != nil else { continue }
            var current = containing
            while current > order {
                current -= 1
                let half = UInt64(1) << UInt64(current)
                let lower = firstFrame + ((frame - firstFrame) & ~((half << 1) - 1))
                add(frame - lower >= half ? lower : lower + half, order: current)
            }
            freeFrameCount -= UInt64(1) << UInt64(order)
            return true
        }
        return false
    }

    /// Whether the frame is free.
    ///
    /// - Complexity: O(`maximumOrder`).
    public func isFree(_ frame: UInt64) -> Bool {
        guard contains(frame) else { return false }
        return (0...maximumOrder).contains { order in
            free[order].contains(firstFrame + ((frame - firstFrame) & ~((UInt64(1) << UInt64(order)) - 1)))
        }
    }

    /// The free blocks, sorted by frame.
    ///
    /// - Complexity: O(*n* log *n*).
    public var freeBlocks: [FreeBlock] {
        free.enumerated().flatMap { order, blocks in blocks.map { FreeBlock(frame: $0, order: order) } }
            .sorted { $0.frame < $1.frame }
    }

    /// A free block: its first frame and its order.
    public struct FreeBlock: Hashable, Sendable {
        /// The first frame number.
        public var frame: UInt64
        /// The block holds `2^order` frames.
        public var order: Int

        /// Creates a block description.
        public init(frame: UInt64, order: Int) {
            self.frame = frame
            self.order = order
        }
    }

    private mutating func add(_ block: UInt64, order: Int) {
        free[order].insert(block)
        lowest[order].insert(block)
    }

    private mutating func popLowest(order: Int) -> UInt64 {
        if lowest[order].count > 2 * free[order].count + 64 {
            lowest[order] = MinimumHeap(free[order])
        }
        while let candidate = lowest[order].popMinimum() {
            if free[order].remove(candidate) != nil { return candidate }
        }
        preconditionFailure("free list of order \(order) out of step with its heap")
    }

    public static func == (lhs: BuddyAllocator, rhs: BuddyAllocator) -> Bool {
        lhs.firstFrame == rhs.firstFrame && lhs.frameCount == rhs.frameCount && lhs.maximumOrder == rhs.maximumOrder
            && lhs.free == rhs.free
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(firstFrame)
        hasher.combine(frameCount)
        hasher.combine(free)
    }
}
