import MMUCore

/// What a hashed-table engine (IA-64 long and short VHPT, PowerPC HPT) provides to
/// ``HashedPageTable``: a class, so that walks pass one reference.
protocol HashedTableEngine: AnyObject, Sendable {
    var format: PageTableFormat { get }
    var entryCount: Int { get }
    var footprint: TableFootprint { get }
    func translate(_ address: VirtualAddress, access: MemoryAccess, privilege: PrivilegeLevel) -> TranslationResult
    /// Applies a change; returns a table to use instead, or `nil` when changed in place.
    func apply(removing: [MMUEntry], adding: [MMUEntry]) throws(PageTableError) -> Self?
    func entries() -> [MMUEntry]
    func encodedEntries() -> [EncodedEntry]
    func image() -> PageTableImage
    /// An independent copy.
    func copy() -> Self
}

/// A hashed page table with value semantics: the engine is copied before a change when it is
/// shared (copy-on-write).
struct HashedPageTable<Engine: HashedTableEngine>: HardwarePageTable {
    var engine: Engine

    var format: PageTableFormat { engine.format }
    var entryCount: Int { engine.entryCount }
    var footprint: TableFootprint { engine.footprint }

    func translate(_ address: VirtualAddress, access: MemoryAccess, privilege: PrivilegeLevel) -> TranslationResult {
        engine.translate(address, access: access, privilege: privilege)
    }

    mutating func apply(removing: [MMUEntry], adding: [MMUEntry]) throws(PageTableError) {
        // The engines check everything before they change anything in place.
        if !isKnownUniquelyReferenced(&engine) { engine = engine.copy() }
        if let replacement = try engine.apply(removing: removing, adding: adding) { engine = replacement }
    }

    func entries() -> [MMUEntry] { engine.entries() }
    func encodedEntries() -> [EncodedEntry] { engine.encodedEntries() }
    func image() -> PageTableImage { engine.image() }
}
