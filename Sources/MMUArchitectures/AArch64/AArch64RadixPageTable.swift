import MMUCore

/// AArch64 stage-1 4 KiB-granule page tables: the generic radix engine with AArch64 entries.
///
/// A concrete type so that the engine is specialized for its codec (no protocol dispatch per
/// level in walks); every operation forwards to RadixPageTable.
struct AArch64RadixPageTable: HardwarePageTable {
    var engine: RadixPageTable<AArch64EntryCodec>

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
