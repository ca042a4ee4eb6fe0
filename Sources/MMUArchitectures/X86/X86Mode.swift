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

/// An x86 paging mode as a type: each mode's tables are compiled with the mode as a constant,
/// so that walks test no mode at run time.
protocol X86Paging: Sendable {
    /// The mode.
    static var mode: X86Mode { get }
}

/// 64-bit 4-level paging as a type.
enum X86FourLevelPaging: X86Paging {
    static var mode: X86Mode { .fourLevel }
}

/// 64-bit 5-level paging as a type.
enum X86FiveLevelPaging: X86Paging {
    static var mode: X86Mode { .fiveLevel }
}

/// 32-bit paging as a type.
enum X86LegacyPaging: X86Paging {
    static var mode: X86Mode { .legacy }
}

/// PAE paging as a type.
enum X86PAEPaging: X86Paging {
    static var mode: X86Mode { .pae }
}
