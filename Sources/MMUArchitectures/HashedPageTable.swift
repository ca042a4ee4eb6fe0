import MMUCore

/// What a hashed-table engine (IA-64 long and short VHPT, PowerPC HPT) provides to its table
/// type: a class, so that walks pass one reference.
protocol HashedTableEngine: AnyObject, Sendable {
    var format: PageTableFormat { get }
    var entryCount: Int { get }
    var footprint: TableFootprint { get throws(ImageError) }
    func translate(_ address: VirtualAddress, access: MemoryAccess, privilege: PrivilegeLevel) -> TranslationResult
    /// Applies a change; returns a table to use instead, or `nil` when changed in place.
    func apply(removing: [MMUEntry], adding: [MMUEntry]) throws(PageTableError) -> Self?
    func entries() throws(ImageError) -> [MMUEntry]
    func encodedEntries() throws(ImageError) -> [EncodedEntry]
    func image() -> PageTableImage
    /// An independent copy.
    func copy() -> Self
}

/// A hashed page table with value semantics: the engine is copied before a change when it is
/// shared (copy-on-write).
///
/// Each format is its own concrete type (``IA64LongVHPTTable`` and the others) adopting this
/// protocol, so that its witnesses call the engine directly: a generic wrapper's witnesses
/// would reach it through two more indirect calls per lookup.
protocol HashedPageTable: HardwarePageTable {
    /// The engine of the format.
    associatedtype Engine: HashedTableEngine
    /// The engine.
    var engine: Engine { get set }
}

extension HashedPageTable {
    var format: PageTableFormat { engine.format }
    var entryCount: Int { engine.entryCount }
    var footprint: TableFootprint { get throws(ImageError) { try engine.footprint } }

    @inline(__always)
    func translate(_ address: VirtualAddress, access: MemoryAccess, privilege: PrivilegeLevel) -> TranslationResult {
        engine.translate(address, access: access, privilege: privilege)
    }

    mutating func apply(removing: [MMUEntry], adding: [MMUEntry]) throws(PageTableError) {
        // The engines check everything before they change anything in place.
        if !isKnownUniquelyReferenced(&engine) { engine = engine.copy() }
        if let replacement = try engine.apply(removing: removing, adding: adding) { engine = replacement }
    }

    func entries() throws(ImageError) -> [MMUEntry] { try engine.entries() }
    func encodedEntries() throws(ImageError) -> [EncodedEntry] { try engine.encodedEntries() }
    func image() -> PageTableImage { engine.image() }
}

/// IA-64 long-format VHPT tables.
struct IA64LongVHPTTable: HashedPageTable {
    var engine: IA64LongVHPT
}

/// IA-64 short-format (linear, per-region) VHPT tables.
struct IA64ShortVHPTTable: HashedPageTable {
    var engine: IA64ShortVHPT
}

/// PowerPC hashed page tables.
struct PPC64HashedTable: HashedPageTable {
    var engine: PPC64HashedPageTable
}
