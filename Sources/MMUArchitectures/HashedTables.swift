/// IA-64 long-format VHPT tables.
struct IA64LongVHPTTable: EngineTable {
    var engine: IA64LongVHPT
}

/// IA-64 short-format (linear, per-region) VHPT tables.
struct IA64ShortVHPTTable: EngineTable {
    var engine: IA64ShortVHPT
}

/// PowerPC hashed page tables.
struct PPC64HashedTable: EngineTable {
    var engine: PPC64HashedPageTable
}
