/// The x86 paging mode a table is built for.
enum X86Mode: Hashable, Sendable {
    /// 64-bit 4-level paging (PML4).
    case fourLevel
    /// 64-bit 5-level paging (PML5, CR4.LA57).
    case fiveLevel
    /// 32-bit paging with PSE: 4-byte entries, no execute-disable.
    case legacy
    /// 32-bit PAE paging: a 4-entry PDPT above 8-byte PD and PT entries.
    case pae
}
