import MMUCore
import MMUTestSupport
import MMUTraces

/// A seeded random process workload built from events with recorded results: anonymous,
/// shared and file mappings, sweeps that fill 2 MiB regions, scattered accesses (some invalid),
/// mprotect and munmap that cut large pages, mremap moves, brk, madvise, forks and an exec.
struct SyntheticWorkload {
    private var generator: SplitMix64
    private var line = 0
    private var events: [TraceEvent] = []
    /// Live mappings per process: start page and page count.
    private var mappings: [Int32: [(start: UInt64, count: UInt64)]] = [:]
    private var processes: [Int32] = [100]
    private var nextPid: Int32 = 101
    private var heap: [Int32: (start: UInt64, end: UInt64)] = [:]
    private var nextSlot: UInt64 = 0

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    private mutating func random() -> UInt64 { generator.next() }

    private mutating func below(_ bound: UInt64) -> UInt64 { random() % bound }

    private mutating func emit(_ pid: Int32, _ action: TraceEvent.Action) {
        line += 1
        events.append(TraceEvent(processID: pid, lineNumber: line, action: action))
    }

    /// A fresh 16 MiB-aligned slot of address space, so recorded results never collide.
    private mutating func slot() -> UInt64 {
        nextSlot += 1
        return (0x7f00_0000_0000 >> 12) + nextSlot * 4096
    }

    private mutating func access(_ pid: Int32, page: UInt64, kind: RecordedAccess.Kind) {
        let address = VirtualAddress(page << 12 + below(4000))
        emit(pid, .access(RecordedAccess(kind, at: address, size: UInt32(1 + below(16)))))
    }

    /// The events of `steps` random operations.
    mutating func make(steps: Int) -> [TraceEvent] {
        let pid: Int32 = 100
        emit(pid, .systemCall(.brk(requested: nil, result: VirtualAddress(0x5555_0000_0000))))
        heap[pid] = (0x5555_0000_0000 >> 12, 0x5555_0000_0000 >> 12)
        // A prologue that surely promotes and demotes: an 8 MiB anonymous mapping, one region
        // filled, then cut by mprotect and by munmap.
        let start = slot()
        emit(
            pid,
            .systemCall(
                .mmap(
                    SystemCall.MapRequest(
                        address: nil, length: 8 << 20, protection: [.read, .write, .user], flags: .anonymous,
                        result: VirtualAddress(start << 12)))))
        mappings[pid, default: []].append((start, 2048))
        for page in (start + 512)..<(start + 1024) { access(pid, page: page, kind: .store) }
        emit(pid, .systemCall(.mprotect(address: VirtualAddress((start + 600) << 12), length: 4096, protection: [.read, .user])))
        for page in (start + 1024)..<(start + 1536) { access(pid, page: page, kind: .load) }
        emit(pid, .systemCall(.munmap(address: VirtualAddress((start + 1500) << 12), length: 8 << 12)))
        for _ in 0..<steps { step() }
        return events
    }

    private mutating func step() {
        let pid = processes[Int(below(UInt64(processes.count)))]
        let live = mappings[pid, default: []]
        switch below(100) {
        case 0..<14:
            let start = slot() + (below(2) == 0 ? 0 : below(600))
            let count = [1, 7, 512, 1024, 1536, 2048][Int(below(6))] + below(3)
            let shared = below(8) == 0, file = below(6) == 0
            var flags: SystemCall.MapFlags = shared ? .shared : []
            if !file { flags.insert(.anonymous) }
            if below(20) == 0 { flags.insert(.populate) }
            let protection: Protection = below(5) == 0 ? [.read, .user] : [.read, .write, .user]
            emit(
                pid,
                .systemCall(
                    .mmap(
                        SystemCall.MapRequest(
                            address: nil, length: count << 12, protection: protection, flags: flags,
                            fileDescriptor: file ? 3 : -1, path: file ? "/lib/data\(below(2))" : "",
                            result: VirtualAddress(start << 12)))))
            mappings[pid, default: []].append((start, count))
        case 14..<44 where !live.isEmpty:
            let mapping = live[Int(below(UInt64(live.count)))]
            let region = mapping.start / 512 * 512 + 512 * below(max(1, mapping.count / 512))
            for page in region..<(region + 512) where page >= mapping.start && page < mapping.start + mapping.count {
                access(pid, page: page, kind: below(3) == 0 ? .load : .store)
            }
        case 44..<60 where !live.isEmpty:
            for _ in 0..<40 {
                let mapping = live[Int(below(UInt64(live.count)))]
                let page = mapping.start + below(mapping.count + 2)
                access(pid, page: page, kind: [.instruction, .load, .store, .modify][Int(below(4))])
            }
        case 60..<68 where !live.isEmpty:
            let mapping = live[Int(below(UInt64(live.count)))]
            let first = mapping.start + below(mapping.count)
            let count = 1 + below(mapping.count + mapping.start - first)
            let protection: Protection = [[.read, .user], [.read, .write, .user], [.user], [.read, .execute, .user]][Int(below(4))]
            emit(pid, .systemCall(.mprotect(address: VirtualAddress(first << 12), length: count << 12, protection: protection)))
        case 68..<74 where !live.isEmpty:
            let index = Int(below(UInt64(live.count)))
            let mapping = live[index]
            let first = mapping.start + below(mapping.count)
            let count = 1 + below(mapping.count + mapping.start - first)
            emit(pid, .systemCall(.munmap(address: VirtualAddress(first << 12), length: count << 12)))
            if first == mapping.start && count == mapping.count { mappings[pid]?.remove(at: index) }
        case 74..<79 where !live.isEmpty:
            let index = Int(below(UInt64(live.count)))
            let mapping = live[index]
            let newCount = max(1, mapping.count / 2 + below(mapping.count + 600))
            let destination = below(3) == 0 ? mapping.start : slot() + below(512)
            emit(
                pid,
                .systemCall(
                    .mremap(
                        SystemCall.RemapRequest(
                            oldAddress: VirtualAddress(mapping.start << 12), oldLength: mapping.count << 12,
                            newLength: newCount << 12, flags: .mayMove, result: VirtualAddress(destination << 12)))))
            if destination == mapping.start, newCount > mapping.count { break }
            mappings[pid]?[index] = (destination, newCount)
        case 79..<85:
            guard let current = heap[pid] else { break }
            let end = below(3) == 0 ? max(current.start, current.end - below(700)) : current.end + below(1100)
            emit(pid, .systemCall(.brk(requested: VirtualAddress(end << 12), result: VirtualAddress(end << 12))))
            heap[pid] = (current.start, end)
            if end > current.start {
                for _ in 0..<30 { access(pid, page: current.start + below(end - current.start), kind: .store) }
            }
        case 85..<89 where !live.isEmpty:
            let mapping = live[Int(below(UInt64(live.count)))]
            let first = mapping.start + below(mapping.count)
            emit(pid, .systemCall(.discardPages(address: VirtualAddress(first << 12), length: (1 + below(600)) << 12)))
        case 89..<93 where processes.count < 4:
            let child = nextPid
            nextPid += 1
            emit(pid, .fork(child: child, sharesMemory: below(4) == 0))
            processes.append(child)
            mappings[child] = mappings[pid]
            heap[child] = heap[pid]
        case 93..<94 where pid != 100:
            emit(pid, .exec(path: "/bin/true"))
            mappings[pid] = []
            heap[pid] = nil
        default:
            break
        }
    }
}
