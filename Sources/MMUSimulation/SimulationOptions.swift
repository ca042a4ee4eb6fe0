import MMUCore

/// How a ``ProcessSimulator`` runs.
public struct SimulationOptions: Hashable, Sendable {
    /// The base of the translation set names: a process with pid N gets the set `NAME-N`, and
    /// the initial process of a trace without pids gets `NAME`.
    public var name: String
    /// 4 KiB pages only, or transparent huge pages.
    public var pagePolicy: PagePolicy
    /// How many access events (lackey lines) one transaction holds at most.
    public var accessesPerTransaction: Int
    /// Request a snapshot of every set after this many transactions; `nil` for none but the final one.
    public var snapshotInterval: Int?
    /// Where simulated physical memory starts (a multiple of 4 MiB).
    public var physicalMemoryStart: PhysicalAddress
    /// How much physical memory there is (a multiple of 4 MiB).
    public var physicalMemorySize: UInt64
    /// Where the top-down placement of `mmap` without a recorded result starts (Linux's `mmap_base`).
    public var mmapBase: VirtualAddress
    /// The areas the first process starts with: a layout read from `/proc/PID/maps` (see
    /// ``ProcessMaps``), needed for a lackey trace, which records no system calls.
    public var initialAreas: [MemoryArea]

    /// Creates options.
    public init(
        name: String = "sim", pagePolicy: PagePolicy = .fourKiB, accessesPerTransaction: Int = 4096,
        snapshotInterval: Int? = nil, physicalMemoryStart: PhysicalAddress = PhysicalAddress(0x1_0000_0000),
        physicalMemorySize: UInt64 = 4 << 30, mmapBase: VirtualAddress = VirtualAddress(0x7fff_f7ff_f000),
        initialAreas: [MemoryArea] = []
    ) {
        self.name = name
        self.pagePolicy = pagePolicy
        self.accessesPerTransaction = accessesPerTransaction
        self.snapshotInterval = snapshotInterval
        self.physicalMemoryStart = physicalMemoryStart
        self.physicalMemorySize = physicalMemorySize
        self.mmapBase = mmapBase
        self.initialAreas = initialAreas
    }

    /// The name of the translation set of process `processID` (`nil`: the initial process of a
    /// trace without pids).
    public func setName(for processID: Int32?) -> String {
        processID.map { "\(name)-\($0)" } ?? name
    }

    /// The pid a set name stands for under these options: `.some(nil)` for the bare name,
    /// `nil` when the name is not one of this simulation's.
    public func processID(forSetName setName: String) -> Int32?? {
        if setName == name { return .some(nil) }
        guard setName.hasPrefix(name + "-"), let pid = Int32(setName.dropFirst(name.count + 1)) else { return nil }
        return .some(pid)
    }
}
