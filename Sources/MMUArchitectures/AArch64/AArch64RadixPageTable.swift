/// AArch64 stage-1 4 KiB-granule tables with 48-bit halves: the radix engine compiled for
/// ``AArch64FortyEightBit``.
struct AArch64FortyEightBitPageTable: RadixHardwareTable {
    var engine: RadixPageTable<AArch64EntryCodec<AArch64FortyEightBit>>
}

/// AArch64 stage-1 4 KiB-granule tables with 39-bit halves: the radix engine compiled for
/// ``AArch64ThirtyNineBit``.
struct AArch64ThirtyNineBitPageTable: RadixHardwareTable {
    var engine: RadixPageTable<AArch64EntryCodec<AArch64ThirtyNineBit>>
}
