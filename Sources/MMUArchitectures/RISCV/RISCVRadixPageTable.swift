/// RISC-V Sv39 tables: the radix engine compiled for ``RISCVSv39``.
struct RISCVSv39PageTable: RadixHardwareTable {
    var engine: RadixPageTable<RISCVEntryCodec<RISCVSv39>>
}

/// RISC-V Sv48 tables: the radix engine compiled for ``RISCVSv48``.
struct RISCVSv48PageTable: RadixHardwareTable {
    var engine: RadixPageTable<RISCVEntryCodec<RISCVSv48>>
}

/// RISC-V Sv57 tables: the radix engine compiled for ``RISCVSv57``.
struct RISCVSv57PageTable: RadixHardwareTable {
    var engine: RadixPageTable<RISCVEntryCodec<RISCVSv57>>
}
