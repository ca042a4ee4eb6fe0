/// The control registers of one processor, as a dump records them.
public struct ProcessorState: Hashable, Sendable {
    /// CR0.
    public var cr0: UInt64
    /// CR3: the root of the tables the processor was walking.
    public var cr3: UInt64
    /// CR4.
    public var cr4: UInt64

    /// Creates a state.
    public init(cr0: UInt64, cr3: UInt64, cr4: UInt64) {
        self.cr0 = cr0
        self.cr3 = cr3
        self.cr4 = cr4
    }
}
