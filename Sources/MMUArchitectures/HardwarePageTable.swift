import MMUCore

/// A page table in one hardware format, built from canonical entries into a frame store of
/// 4 KiB table pages, and walked from its encoded bytes as the hardware would.
///
/// Obtain one with ``PageTableFormat/makeTable(for:options:)`` (the load path) or
/// ``PageTableImage/read(from:)`` (an exported image).
public protocol HardwarePageTable: Sendable {
    /// The format of the table.
    var format: PageTableFormat { get }

    /// The number of canonical entries encoded.
    var entryCount: Int { get }

    /// Walks the encoded table for `address` as the hardware does, and checks `access` at
    /// `privilege` against the effective rights.
    ///
    /// - Complexity: O(levels) for radix tables; O(1 + chain length) for hashed ones.
    func translate(_ address: VirtualAddress, access: MemoryAccess, privilege: PrivilegeLevel) -> TranslationResult

    /// Applies a committed transaction's changes: removes the entries of `removing` (as they
    /// were in the set) and adds those of `adding` (as they are now), freeing and allocating
    /// table pages as needed. Nothing changes when it throws.
    ///
    /// The result equals a full rebuild from the new set in the sense of
    /// ``encodedEntries()``: the same present entries, with the same bits, at the same virtual
    /// positions and levels (table addresses, and for hashed tables the slot an entry occupies
    /// among colliding ones, may differ).
    ///
    /// - Throws: ``PageTableError`` when an added entry cannot be encoded, a removed entry is
    ///   not in the table, an added one overlaps what stays, or no free frame is left.
    /// - Complexity: O(*k* · levels) for *k* changed entries, plus relocation of table pages
    ///   an added entry's frames land on.
    mutating func apply(removing: [MMUEntry], adding: [MMUEntry]) throws(PageTableError)

    /// Table pages per level, bytes, fill ratio, and for hashed tables load and probes.
    ///
    /// - Throws: ``ImageError`` when a hashed table's stored entries cannot be decoded.
    /// - Complexity: O(table pages) (O(entries) for hashed tables).
    var footprint: TableFootprint { get throws(ImageError) }

    /// The canonical entries the table encodes, read back by walking it, sorted by address.
    ///
    /// - Throws: ``ImageError`` naming the first entry or table page the walk cannot decode;
    ///   never an empty or partial list in its place.
    /// - Complexity: O(table pages + entries).
    func entries() throws(ImageError) -> [MMUEntry]

    /// Every present entry of the table in a placement-independent form, sorted: two tables
    /// encode the same thing exactly when these are equal.
    ///
    /// - Throws: ``ImageError`` as ``entries()`` does.
    /// - Complexity: O(table pages + entries).
    func encodedEntries() throws(ImageError) -> [EncodedEntry]

    /// The manifest and table pages that ``PageTableImage/write(to:)`` exports.
    ///
    /// - Complexity: O(table pages).
    func image() -> PageTableImage
}

/// One present entry of an encoded table, independent of where table pages were placed.
public struct EncodedEntry: Hashable, Sendable, Comparable {
    /// The first virtual address the entry translates (or, for a table pointer, covers).
    public var virtualAddress: VirtualAddress
    /// The level (0 = root) or, for hashed tables, 0.
    public var level: Int
    /// The entry's bits, with table-pointer and chain-pointer fields cleared.
    public var bits: [UInt64]

    /// Creates an encoded entry.
    public init(virtualAddress: VirtualAddress, level: Int, bits: [UInt64]) {
        self.virtualAddress = virtualAddress
        self.level = level
        self.bits = bits
    }

    /// Orders by virtual address, then level.
    public static func < (lhs: EncodedEntry, rhs: EncodedEntry) -> Bool {
        (lhs.virtualAddress, lhs.level) < (rhs.virtualAddress, rhs.level)
    }
}
