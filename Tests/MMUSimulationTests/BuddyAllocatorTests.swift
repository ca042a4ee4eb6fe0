import MMUSimulation
import Testing

struct BuddyAllocatorTests {
    @Test func allocatesLowestFirstAndSplits() throws {
        var allocator = BuddyAllocator(firstFrame: 1024, frameCount: 2048)
        let first = allocator.allocate(order: 0)
        #expect(first == 1024)
        let second = allocator.allocate(order: 0)
        #expect(second == 1025)
        let block = allocator.allocate(order: 9)
        #expect(block == 1536)
        let pair = allocator.allocate(order: 1)
        #expect(pair == 1026)
        #expect(allocator.freeFrameCount == 2048 - 2 - 512 - 2)
        #expect(allocator.freeBlocks.first == BuddyAllocator.FreeBlock(frame: 1028, order: 2))
    }

    @Test func freeingMergesBuddiesBackToTheStart() throws {
        var allocator = BuddyAllocator(firstFrame: 0, frameCount: 1024)
        let pristine = allocator
        var frames: [UInt64] = []
        for _ in 0..<700 {
            let frame = allocator.allocate(order: 0)
            frames.append(try #require(frame))
        }
        let tooLarge = allocator.allocate(order: 9)
        #expect(tooLarge == nil)
        let half = allocator.allocate(order: 8)
        #expect(half == 768)
        allocator.free(768, order: 8)
        for frame in frames.reversed() where frame % 3 == 0 { allocator.free(frame, order: 0) }
        for frame in frames where frame % 3 != 0 { allocator.free(frame, order: 0) }
        #expect(allocator == pristine)
        #expect(allocator.freeBlocks == [BuddyAllocator.FreeBlock(frame: 0, order: 10)])
    }

    @Test func claimingTheFramesInUseRebuildsTheSameAllocator() throws {
        var allocator = BuddyAllocator(firstFrame: 4096, frameCount: 4096)
        var used: [(UInt64, Int)] = []
        var generator = UInt64(12345)
        for step in 0..<3000 {
            generator = generator &* 6364136223846793005 &+ 1442695040888963407
            if generator >> 62 == 0, !used.isEmpty {
                let index = Int((generator >> 20) % UInt64(used.count))
                allocator.free(used[index].0, order: used[index].1)
                used.remove(at: index)
            } else {
                let order = step % 17 == 0 ? 9 : Int((generator >> 40) % 3)
                if let frame = allocator.allocate(order: order) { used.append((frame, order)) }
            }
        }
        var rebuilt = BuddyAllocator(firstFrame: 4096, frameCount: 4096)
        for (frame, order) in used.sorted(by: { $0.0 < $1.0 }) {
            let claimed = rebuilt.claim(frame, order: order)
            #expect(claimed)
        }
        #expect(rebuilt == allocator)
        let claimedTwice = rebuilt.claim(used[0].0, order: 0)
        #expect(!claimedTwice)
        let next = rebuilt.allocate(order: 2), expected = allocator.allocate(order: 2)
        #expect(next == expected)
    }

    @Test func freeFramesAreReportedAndOutsideFramesAreNot() {
        var allocator = BuddyAllocator(firstFrame: 1024, frameCount: 1024)
        #expect(allocator.isFree(1024))
        #expect(!allocator.isFree(0))
        #expect(!allocator.contains(2048))
        let frame = allocator.allocate(order: 3)
        #expect(frame == 1024)
        #expect(!allocator.isFree(1031))
        #expect(allocator.isFree(1032))
    }
}
