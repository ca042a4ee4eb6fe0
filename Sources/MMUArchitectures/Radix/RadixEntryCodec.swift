import MMUCore

/// The per-architecture bit twiddling of a radix format: what the generic engine
/// (``RadixPageTable``) asks of each family (x86, AArch64, RISC-V).
protocol RadixEntryCodec: Hashable, Sendable {
    /// The format this codec encodes.
    var format: PageTableFormat { get }
    /// The level structure.
    var layout: RadixLayout { get }
    /// The highest physical address (exclusive) a table page may sit at.
    var tableAddressLimit: UInt64 { get }

    /// The root table a virtual address is walked from, or `nil` when it is not canonical.
    func root(of address: UInt64) -> Int?
    /// The canonical virtual address whose indices are `indexBits` under root `root`.
    func virtualAddress(root: Int, indexBits: UInt64) -> UInt64

    /// The leaf entry for a (normalized, representable) canonical entry at level `level`.
    func leaf(_ entry: MMUEntry, level: Int) -> UInt64
    /// The non-leaf entry pointing at the table at `frame`, at level `level`.
    func table(frame: UInt64, level: Int) -> UInt64
    /// What the walker makes of `raw` at level `level`.
    func decode(_ raw: UInt64, level: Int) -> RadixDescriptor
    /// The walk's fast path: the frame of the next table when `raw` at `level` is a plain,
    /// well-formed table pointer (else `nil`, and the walk decodes `raw` fully). Folds the
    /// entry's restriction bits into `and` / `or` for ``pathRights(and:or:)``.
    func nextTable(_ raw: UInt64, level: Int, and: inout UInt64, or: inout UInt64) -> UInt64?
    /// The rights the table pointers taken by the fast path leave, from the AND and the OR of
    /// their restriction bits.
    func pathRights(and: UInt64, or: UInt64) -> AccessRights
    /// The canonical attributes and cache mode a leaf encodes.
    func attributes(ofLeaf raw: UInt64, level: Int) -> (MMUEntry.Attributes, CacheMode)

    /// The root register values (`cr3`, `ttbr0_el1`, `satp`) for root tables at these frames.
    func rootRegisters(rootFrames: [UInt64]) -> [String: UInt64]
    /// The root frames the registers name, or `nil` when a register is missing or malformed.
    func rootFrames(from registers: [String: UInt64]) -> [UInt64]?
    /// The other control-register values the tables are meant to be walked under.
    var controlRegisters: [String: UInt64] { get }
}

extension RadixEntryCodec {
    /// A table entry with its address field cleared (for placement-independent comparison).
    func clearingTableAddress(_ raw: UInt64, level: Int) -> UInt64 {
        guard case .table(let frame, _) = decode(raw, level: level) else { return raw }
        return raw ^ (table(frame: frame, level: level) ^ table(frame: 0, level: level))
    }
}
