import MMUCore

/// RISC-V Sv39/Sv48/Sv57 page tables: the generic radix engine with RISCV entries.
///
/// A concrete type so that the engine is specialized for its codec (no protocol dispatch per
/// level in walks); every operation forwards to RadixPageTable.
struct RISCVRadixPageTable: HardwarePageTable {
    var engine: RadixPageTable<RISCVEntryCodec>

    var format: PageTableFormat { engine.format }
    var entryCount: Int { engine.entryCount }
    var footprint: TableFootprint { engine.footprint }

    func translate(_ address: VirtualAddress, access: MemoryAccess, privilege: PrivilegeLevel) -> TranslationResult {
        engine.translate(address, access: access, privilege: privilege)
    }

    mutating func apply(removing: [MMUEntry], adding: [MMUEntry]) throws(PageTableError) {
        // Copy-on-write; the engine checks everything before it changes anything.
        if !isKnownUniquelyReferenced(&engine) { engine = engine.copy() }
        try engine.apply(removing: removing, adding: adding)
    }

    func entries() -> [MMUEntry] { engine.entries() }
    func encodedEntries() -> [EncodedEntry] { engine.encodedEntries() }
    func image() -> PageTableImage { engine.image() }
}
