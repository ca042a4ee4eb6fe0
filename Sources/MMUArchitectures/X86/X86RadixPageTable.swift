/// x86-64 4-level paging tables: the radix engine compiled for ``X86FourLevelPaging``.
struct X86FourLevelPageTable: RadixHardwareTable {
    var engine: RadixPageTable<X86EntryCodec<X86FourLevelPaging>>
}

/// x86-64 5-level paging tables: the radix engine compiled for ``X86FiveLevelPaging``.
struct X86FiveLevelPageTable: RadixHardwareTable {
    var engine: RadixPageTable<X86EntryCodec<X86FiveLevelPaging>>
}

/// 32-bit (i386) paging tables: the radix engine compiled for ``X86LegacyPaging``.
struct X86LegacyPageTable: RadixHardwareTable {
    var engine: RadixPageTable<X86EntryCodec<X86LegacyPaging>>
}

/// PAE paging tables: the radix engine compiled for ``X86PAEPaging``.
struct X86PAEPageTable: RadixHardwareTable {
    var engine: RadixPageTable<X86EntryCodec<X86PAEPaging>>
}
