import MMUCore
import MMUStore

/// The representative store operations the fault sweeps run, each a sequence of steps that
/// are one transaction apiece, over a base state built by ``prepareBase(_:)``.
public enum Workload: String, CaseIterable, Sendable {
    /// One 4 KiB page mapped per step.
    case singleMap
    /// 64 maps, 16 protects, 16 unmaps, 8 demotions and a memory-area change per step.
    case mixedBatch
    /// 20,000 entries mapped in one transaction per step.
    case bulkMap
    /// A snapshot created per step.
    case snapshot
    /// A compaction of the set's history (only the first step removes anything).
    case compaction

    /// The set every step changes.
    public static let setName = "p"

    /// Entries mapped by one step of ``bulkMap``.
    public static let bulkCount: UInt64 = 20_000

    /// Builds the base state every run starts from: two sets, a few generations of history
    /// (dead versions on both sides of a snapshot), 2 MiB and 16 KiB pages, a global entry
    /// and a memory area.
    ///
    /// - Throws: ``StoreError`` from the store.
    public static func prepareBase(_ store: TranslationStore) throws {
        try store.createSet(named: setName)
        try store.createSet(named: "q")
        try store.update(set: setName, label: "base load") { tx in
            try tx.map(contentsOf: (0..<256).map { page in
                MMUEntry(VirtualAddress(0x40_0000 + page * 4096), to: PhysicalAddress(0x100_0000 + page * 4096), protection: [.read, .write, .user])
            })
            for index in 0..<UInt64(24) {
                try tx.map(
                    VirtualAddress(0x4000_0000 + index * 0x4000), to: PhysicalAddress(0x8000_0000 + index * 0x4000), size: .size16KiB,
                    protection: [.read, .write, .user])
            }
            try tx.map(VirtualAddress(0x6000_0000), to: PhysicalAddress(0xC000_0000), size: .size2MiB, protection: [.read, .user])
            try tx.replaceAreas(
                in: try VirtualRange(start: VirtualAddress(0x40_0000), byteCount: 0x10_0000),
                with: [MemoryArea(range: try VirtualRange(start: VirtualAddress(0x40_0000), byteCount: 0x10_0000), protection: [.read, .write, .user], kind: .heap, name: "[heap]")])
        }
        try store.update(set: setName, label: "base protect") { tx in
            try tx.protect(try VirtualRange(start: VirtualAddress(0x40_0000), byteCount: 64 * 4096), [.read, .user])
        }
        try store.createSnapshot(named: "base", of: setName)
        try store.update(set: setName, label: "base unmap") { tx in
            try tx.unmap(try VirtualRange(start: VirtualAddress(0x48_0000), byteCount: 32 * 4096))
            try tx.recordAccess(at: VirtualAddress(0x40_1000), write: true, count: 2)
        }
        try store.update(set: "q", label: "base global") { tx in
            try tx.map(VirtualAddress(0xffff_8000_0000_0000), to: PhysicalAddress(0x20_0000), protection: [.read, .write], attributes: .global)
        }
    }

    /// Runs step `step` (from 0; at most 3 steps are defined for every workload): one
    /// transaction.
    ///
    /// - Parameter expectedGeneration: For the steps that are mmu transactions, commit only if
    ///   the set is at this generation: the idempotent retry after an ambiguous error.
    /// - Throws: ``StoreError`` from the store; when the step returns, it may be acknowledged.
    public func run(step: Int, on store: TranslationStore, expectedGeneration: Int64? = nil) throws {
        let index = UInt64(step)
        let label = "\(rawValue) \(step)"
        switch self {
        case .singleMap:
            try store.update(set: Self.setName, label: label, expectedGeneration: expectedGeneration) { tx in
                try tx.map(VirtualAddress(0x1000_0000 + index * 4096), to: PhysicalAddress(0x3000_0000 + index * 4096), protection: [.read, .write, .user])
            }
        case .mixedBatch:
            try store.update(set: Self.setName, label: label, expectedGeneration: expectedGeneration) { tx in try Self.mixedBatch(index, tx) }
        case .bulkMap:
            let base = 0x10_0000_0000 + index * 0x1_0000_0000
            let entries = (0..<Self.bulkCount).map { page in
                MMUEntry(VirtualAddress(base + page * 4096), to: PhysicalAddress(0x40_0000_0000 + page * 4096), protection: [.read, .write, .user])
            }
            try store.update(set: Self.setName, label: label, expectedGeneration: expectedGeneration) { tx in try tx.map(contentsOf: entries) }
        case .snapshot:
            try store.createSnapshot(named: "snapshot-\(step)", of: Self.setName)
        case .compaction:
            try store.compact(set: Self.setName)
        }
    }

    /// Whether a step is an mmu transaction (with a log row and a generation); snapshots and
    /// compactions are not.
    public var isMMUTransaction: Bool { self != .snapshot && self != .compaction }

    /// 64 maps (56 pages of 4 KiB, 8 of 16 KiB), 16 protects, 16 unmaps, 8 demotions of
    /// 16 KiB pages from the base state, and one memory-area change.
    static func mixedBatch(_ index: UInt64, _ tx: TranslationSet.Transaction) throws {
        let base = 0x2000_0000 + index * 0x100_0000
        for page in 0..<UInt64(56) {
            try tx.map(VirtualAddress(base + page * 4096), to: PhysicalAddress(0x5000_0000 + index * 0x100_0000 + page * 4096), protection: [.read, .write, .user])
        }
        for page in 0..<UInt64(8) {
            try tx.map(
                VirtualAddress(base + 0x10_0000 + page * 0x4000), to: PhysicalAddress(0x5080_0000 + index * 0x100_0000 + page * 0x4000),
                size: .size16KiB, protection: [.read, .execute, .user])
        }
        for page in 0..<UInt64(16) {
            try tx.protect(try VirtualRange(start: VirtualAddress(base + page * 4096), byteCount: 4096), [.read, .user])
        }
        for page in 0..<UInt64(16) {
            try tx.unmap(try VirtualRange(start: VirtualAddress(base + (32 + page) * 4096), byteCount: 4096))
        }
        for page in 0..<UInt64(8) {
            try tx.resize(VirtualAddress(0x4000_0000 + (index * 8 + page) * 0x4000), to: .size4KiB)
        }
        try tx.replaceAreas(
            in: try VirtualRange(start: VirtualAddress(base), byteCount: 0x20_0000),
            with: [MemoryArea(range: try VirtualRange(start: VirtualAddress(base), byteCount: 0x20_0000), protection: [.read, .write, .user], kind: .anonymous)])
    }
}
