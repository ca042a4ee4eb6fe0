import MMUCore
import MMUDemo
import MMUSimulation
import MMUTraces
import Testing

/// The sets of a run, shared by the commit handler and the checks made after each transaction.
final class SetsBox {
    var memory = InMemorySets()
    var failures: [String] = []
    var commits = 0
}

/// Invariants of simulated sets and of the simulator's allocator.
enum SimulationChecks {
    /// What must hold of the sets after every transaction: entries inside an area with its
    /// protection, only 4 KiB pages unless `thp`, 2 MiB pages aligned, no frame in two places.
    static func checkSets(_ sets: [String: TranslationSet], policy: PagePolicy) -> [String] {
        var problems: [String] = []
        var frames: [UInt64: String] = [:], blocks: [UInt64: String] = [:]
        for (name, set) in sets {
            var areaIndex = 0
            for entry in set.entries {
                while areaIndex < set.areas.count, set.areas[areaIndex].range.upperPage <= entry.pageNumber { areaIndex += 1 }
                let area = areaIndex < set.areas.count && set.areas[areaIndex].range.contains(entry.range) ? set.areas[areaIndex] : nil
                guard let area else {
                    problems.append("\(name): \(entry) lies in no single area")
                    continue
                }
                if area.protection != entry.protection {
                    problems.append("\(name): \(entry) has not the protection of its area \(area.protection)")
                }
                switch entry.size {
                case .size4KiB:
                    if let other = frames.updateValue(name, forKey: entry.frameNumber) {
                        problems.append("frame of \(entry) in \(name) is mapped in \(other) too")
                    }
                case .size2MiB:
                    if policy != .transparentHugePages { problems.append("\(name): 2 MiB page \(entry) under 4k") }
                    if !(area.kind == .anonymous || area.kind == .heap || area.kind == .stack) || area.isShared {
                        problems.append("\(name): 2 MiB page \(entry) in an ineligible area")
                    }
                    if let other = blocks.updateValue(name, forKey: entry.frameNumber) {
                        problems.append("block of \(entry) in \(name) is mapped in \(other) too")
                    }
                default: problems.append("\(name): unexpected size \(entry)")
                }
            }
            for (lower, upper) in zip(set.areas, set.areas.dropFirst()) where lower.range.upperPage > upper.range.lowerPage {
                problems.append("\(name): areas \(lower.range) and \(upper.range) overlap")
            }
        }
        for (frame, name) in frames where blocks[frame & ~511] != nil {
            problems.append("frame 0x\(String(frame, radix: 16)) of \(name) lies in a 2 MiB page")
        }
        return problems
    }

    /// The allocator is a canonical buddy system (aligned, disjoint blocks; no two free buddies;
    /// counts add up) whose free frames are exactly those neither mapped by a set nor held by a
    /// 2 MiB reservation (an eligible 4 KiB page at its own offset in the block).
    static func checkAllocator(_ allocator: BuddyAllocator, sets: [String: TranslationSet]) -> [String] {
        var problems: [String] = []
        let blocks = allocator.freeBlocks
        var free: UInt64 = 0
        var previousEnd = allocator.firstFrame
        let freeSet = Set(blocks.map { "\($0.frame)/\($0.order)" })
        for block in blocks {
            let size = UInt64(1) << UInt64(block.order)
            if (block.frame - allocator.firstFrame) % size != 0 { problems.append("free block \(block) misaligned") }
            if block.frame < previousEnd { problems.append("free block \(block) overlaps the previous one") }
            previousEnd = block.frame + size
            free += size
            let buddy = allocator.firstFrame + ((block.frame - allocator.firstFrame) ^ size)
            if block.order < allocator.maximumOrder, freeSet.contains("\(buddy)/\(block.order)") {
                problems.append("free block \(block) and its buddy were not merged")
            }
        }
        if free != allocator.freeFrameCount { problems.append("free count \(allocator.freeFrameCount), blocks hold \(free)") }
        var mapped = Set<UInt64>(), reserved = Set<UInt64>()
        for set in sets.values {
            for entry in set.entries {
                if entry.size == .size2MiB {
                    reserved.insert(entry.frameNumber)
                    continue
                }
                mapped.insert(entry.frameNumber)
                guard entry.pageNumber % 512 == entry.frameNumber % 512,
                    let area = set.areas.first(where: { $0.range.contains(entry.range) }), !area.isShared,
                    area.kind == .anonymous || area.kind == .heap || area.kind == .stack
                else { continue }
                reserved.insert(entry.frameNumber & ~511)
            }
        }
        let outside = mapped.filter { !reserved.contains($0 & ~511) }
        if let frame = outside.first(where: { allocator.isFree($0) }) {
            problems.append("mapped frame 0x\(String(frame, radix: 16)) is free")
        }
        for block in reserved {
            if let frame = (block..<(block + 512)).first(where: { allocator.isFree($0) }) {
                problems.append("frame 0x\(String(frame, radix: 16)) of a reserved or huge block is free")
                break
            }
        }
        let used = UInt64(outside.count) + 512 * UInt64(reserved.count)
        if allocator.freeFrameCount + used != allocator.frameCount {
            problems.append("\(allocator.frameCount) frames, \(allocator.freeFrameCount) free, \(used) used: some leaked")
        }
        return problems
    }

    /// Runs `events` on in-memory sets, checking the set invariants after every transaction and
    /// the allocator after every event that leaves no access uncommitted (every
    /// `checkAllocatorEvery`-th such event).
    static func run(
        _ events: [TraceEvent], options: SimulationOptions, box: SetsBox = SetsBox(), checkAllocatorEvery: Int = 1
    ) throws -> (box: SetsBox, simulator: ProcessSimulator) {
        var simulator = try ProcessSimulator(
            options: options,
            commit: { name, label, body in
                try box.memory.commit(setName: name, label: label, body)
                box.commits += 1
                for problem in checkSets(box.memory.sets, policy: options.pagePolicy).prefix(3) {
                    box.failures.append("after '\(label)': \(problem)")
                }
            },
            snapshot: { box.memory.snapshot($0) })
        for (index, event) in events.enumerated() {
            try simulator.apply(event)
            if simulator.pendingAccesses == 0, index % checkAllocatorEvery == 0 || index == events.count - 1 {
                for problem in checkAllocator(simulator.frameAllocator, sets: box.memory.sets).prefix(3) {
                    box.failures.append("after \(event): \(problem)")
                }
            }
            if box.failures.count > 10 { break }
        }
        _ = try simulator.finish()
        return (box, simulator)
    }

    /// The translations of a set page by page: 4 KiB page number to frame number and protection.
    static func pageTable(_ set: TranslationSet) -> [UInt64: (frame: UInt64, protection: Protection)] {
        var table: [UInt64: (frame: UInt64, protection: Protection)] = [:]
        for entry in set.entries {
            for offset in 0..<entry.size.pageCount {
                table[entry.pageNumber + offset] = (entry.frameNumber + offset, entry.protection)
            }
        }
        return table
    }

    /// Reads every event of a fixture.
    static func events(of fixture: TraceFixture) throws -> [TraceEvent] {
        let path = try #require(fixture.path)
        return try TraceReader(contentsOf: path).readAll()
    }
}
