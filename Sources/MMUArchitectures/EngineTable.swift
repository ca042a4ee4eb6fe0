import MMUCore

/// A hardware table with value semantics over a ``TableEngine``: every operation forwards to
/// the engine, which is copied before a change when it is shared (copy-on-write).
///
/// Each format is its own concrete type (``X86FourLevelPageTable``, ``IA64LongVHPTTable`` and
/// the others) adopting this protocol, so that its witnesses call an engine compiled for its
/// format directly: a generic wrapper's witnesses would run unspecialized engine code, with a
/// protocol call for every bit of every entry.
protocol EngineTable: HardwarePageTable {
    /// The engine of the format.
    associatedtype Engine: TableEngine
    /// The engine.
    var engine: Engine { get set }
}

extension EngineTable {
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
