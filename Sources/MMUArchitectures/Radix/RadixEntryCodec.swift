import MMUCore

/// The per-architecture bit twiddling of a radix format: what the generic engine
/// (``RadixPageTable``) asks of each family (x86, AArch64, RISC-V).
///
/// Conforming types are empty values whose variant (paging mode, address size, number of
/// levels) is a type parameter, so that the engine is compiled once per format with every
/// shape constant folded in; the layout (arrays) is computed once by the engine, which checks
/// the constants below against it.
protocol RadixEntryCodec: Hashable, Sendable {
    /// The codec (it has no state).
    init()
    /// The level structure (built on each call: the engine keeps a copy).
    var layout: RadixLayout { get }
    /// Whether entries are 4 bytes (i386) rather than 8.
    var hasFourByteEntries: Bool { get }
    /// The index of the last level (``layout``'s level count less one).
    var lastLevel: Int { get }
    /// The page shift of a leaf at each level, 0 where leaves may not sit (as in ``layout``).
    var leafShifts: PackedLevelBytes { get }
    /// The shifts and masks of a walk (as in ``layout``).
    var walkShape: RadixWalkShape { get }
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
    /// The walk's fast path: the physical address of the next table when `raw` at `level` is a
    /// plain, well-formed table pointer (else `nil`, and the walk decodes `raw` fully). Folds
    /// the entry's restriction bits into `and` / `or` for ``pathRights(and:or:)``.
    ///
    /// It must return the address for every entry that ``decode(_:level:)`` calls a table:
    /// walks take table pointers through this path only.
    func nextTableAddress(_ raw: UInt64, level: Int, and: inout UInt64, or: inout UInt64) -> UInt64?
    /// The rights the table pointers taken by the fast path leave, from the AND and the OR of
    /// their restriction bits.
    func pathRights(and: UInt64, or: UInt64) -> AccessRights
    /// The rights of a leaf `raw` that decodes with `rights`, under the table pointers taken by
    /// the fast path (their restriction bits folded into `and` / `or`): always
    /// `rights ∩ pathRights(and:or:)`, which a codec may compute from the raw bits in one pass.
    func effectiveRights(ofLeaf raw: UInt64, rights: AccessRights, and: UInt64, or: UInt64) -> AccessRights
    /// The canonical attributes and cache mode a leaf encodes.
    func attributes(ofLeaf raw: UInt64, level: Int) -> (MMUEntry.Attributes, CacheMode)

    /// The root register values (`cr3`, `ttbr0_el1`, `satp`) for root tables at these frames.
    func rootRegisters(rootFrames: [UInt64]) -> [String: UInt64]
    /// The root frames the registers name, or `nil` when a register is missing or malformed.
    func rootFrames(from registers: [String: UInt64]) -> [UInt64]?
    /// The other control-register values the tables are meant to be walked under.
    var controlRegisters: [String: UInt64] { get }
    /// Checks the control registers an imported image gives, and returns the cache mode of each
    /// memory-type index they define (`nil` for a type with no canonical mode), or `nil` when
    /// leaves read through the codec's own fixed types (``attributes(ofLeaf:level:)``).
    ///
    /// - Throws: ``ImageError`` naming a missing register or one whose value the walk cannot model.
    func checkedControlRegisters(_ registers: [String: UInt64]) throws(ImageError) -> [CacheMode?]?
    /// The memory-type index of a leaf, into the table ``checkedControlRegisters(_:)`` returns.
    func memoryTypeIndex(ofLeaf raw: UInt64, level: Int) -> Int
}

extension RadixEntryCodec {
    @inline(__always)
    func effectiveRights(ofLeaf raw: UInt64, rights: AccessRights, and: UInt64, or: UInt64) -> AccessRights {
        rights.intersection(pathRights(and: and, or: or))
    }

    /// Formats whose registers are fixed accept exactly the values they export.
    func checkedControlRegisters(_ registers: [String: UInt64]) throws(ImageError) -> [CacheMode?]? {
        for (name, expected) in controlRegisters {
            guard let value = registers[name] else { throw .missingRegister(name) }
            guard value == expected else { throw .unsupportedRegisterValue(name: name, value: value) }
        }
        return nil
    }

    /// Formats whose registers are fixed read memory types from the leaf alone.
    func memoryTypeIndex(ofLeaf raw: UInt64, level: Int) -> Int { 0 }

    /// A table entry with its address field cleared (for placement-independent comparison).
    func clearingTableAddress(_ raw: UInt64, level: Int) -> UInt64 {
        guard case .table(let frame, _) = decode(raw, level: level) else { return raw }
        return raw ^ (table(frame: frame, level: level) ^ table(frame: 0, level: level))
    }
}
