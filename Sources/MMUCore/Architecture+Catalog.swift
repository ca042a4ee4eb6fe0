extension Architecture {
    /// x86-64 with 4-level paging (PML4): 48-bit canonical addresses.
    public static let x86_64FourLevel = Architecture(
        .x86_64FourLevel, name: "x86_64-4level", summary: "x86-64, 4-level paging (PML4, CR4.LA57=0)",
        pageSizes: [.size4KiB, .size2MiB, .size1GiB], addressing: .signExtended(bits: 48), physicalAddressBits: 52)
    /// x86-64 with 5-level paging (LA57): 57-bit canonical addresses.
    public static let x86_64FiveLevel = Architecture(
        .x86_64FiveLevel, name: "x86_64-5level", summary: "x86-64, 5-level paging (PML5, CR4.LA57=1)",
        pageSizes: [.size4KiB, .size2MiB, .size1GiB], addressing: .signExtended(bits: 57), physicalAddressBits: 52)
    /// 32-bit x86 paging with PSE: two levels of 4-byte entries.
    public static let i386 = Architecture(
        .i386, name: "i386", summary: "i386 32-bit paging, 2 levels, 4 MiB pages with CR4.PSE",
        pageSizes: [.size4KiB, .size4MiB], addressing: .zeroExtended(bits: 32), physicalAddressBits: 32,
        wideFramePhysicalAddressBits: [.size4MiB: 40])
    /// 32-bit x86 PAE paging: a 4-entry PDPT and two levels of 8-byte entries.
    public static let i386PAE = Architecture(
        .i386PAE, name: "i386-pae", summary: "i386 PAE paging, 3 levels (4-entry PDPT), NX",
        pageSizes: [.size4KiB, .size2MiB], addressing: .zeroExtended(bits: 32), physicalAddressBits: 52)
    /// AArch64 stage 1, 4 KiB granule, 48-bit virtual addresses (TTBR0 low half, TTBR1 high half).
    public static let aarch64FourK48 = Architecture(
        .aarch64FourK48, name: "aarch64-4k-48", summary: "AArch64 stage 1, 4 KiB granule, 48-bit VA, 4 levels",
        pageSizes: [.size4KiB, .size2MiB, .size1GiB], addressing: .splitHalves(bits: 48), physicalAddressBits: 48)
    /// AArch64 stage 1, 4 KiB granule, 39-bit virtual addresses.
    public static let aarch64FourK39 = Architecture(
        .aarch64FourK39, name: "aarch64-4k-39", summary: "AArch64 stage 1, 4 KiB granule, 39-bit VA, 3 levels",
        pageSizes: [.size4KiB, .size2MiB, .size1GiB], addressing: .splitHalves(bits: 39), physicalAddressBits: 48)
    /// RISC-V Sv39.
    public static let riscvSv39 = Architecture(
        .riscvSv39, name: "riscv-sv39", summary: "RISC-V Sv39, 3 levels",
        pageSizes: [.size4KiB, .size2MiB, .size1GiB], addressing: .signExtended(bits: 39), physicalAddressBits: 56)
    /// RISC-V Sv48 (512 GiB pages exceed the canonical form's 4 GiB limit).
    public static let riscvSv48 = Architecture(
        .riscvSv48, name: "riscv-sv48", summary: "RISC-V Sv48, 4 levels",
        pageSizes: [.size4KiB, .size2MiB, .size1GiB], addressing: .signExtended(bits: 48), physicalAddressBits: 56)
    /// RISC-V Sv57.
    public static let riscvSv57 = Architecture(
        .riscvSv57, name: "riscv-sv57", summary: "RISC-V Sv57, 5 levels",
        pageSizes: [.size4KiB, .size2MiB, .size1GiB], addressing: .signExtended(bits: 57), physicalAddressBits: 56)
    /// IA-64 long-format VHPT: one hashed table of 32-byte entries.
    public static let ia64LongVHPT = Architecture(
        .ia64LongVHPT, name: "ia64-vhpt-long", summary: "IA-64 long-format VHPT (32-byte hashed entries)",
        pageSizes: ia64PageSizes, addressing: .regions(implementedBits: 51), physicalAddressBits: 50)
    /// IA-64 short-format VHPT: a virtually linear table per region.
    public static let ia64ShortVHPT = Architecture(
        .ia64ShortVHPT, name: "ia64-vhpt-short", summary: "IA-64 short-format VHPT (per-region linear table)",
        pageSizes: ia64PageSizes, addressing: .regions(implementedBits: 51), physicalAddressBits: 50,
        tableWindowBits: 42, sizeDomainBits: 61)
    /// PowerPC 64-bit Book3S hashed page table.
    public static let ppc64HPT = Architecture(
        .ppc64HPT, name: "ppc64-hpt", summary: "PowerPC Book3S-64 hashed page table (PTEGs of 8)",
        pageSizes: [.size4KiB, .size64KiB, .size16MiB], addressing: .unrestricted, physicalAddressBits: 60,
        sizeDomainBits: 28)

    /// The page sizes insertable on every IA-64 model (4 KiB to 256 MiB).
    static let ia64PageSizes: [PageSize] = [
        .size4KiB, .size8KiB, .size16KiB, .size64KiB, .size256KiB, .size1MiB, .size4MiB, .size16MiB, .size64MiB,
        .size256MiB,
    ]

    /// Every architecture MMUStore knows, in the order `mmu formats` lists them.
    public static let all: [Architecture] = [
        .x86_64FourLevel, .x86_64FiveLevel, .i386, .i386PAE, .aarch64FourK48, .aarch64FourK39,
        .riscvSv39, .riscvSv48, .riscvSv57, .ia64LongVHPT, .ia64ShortVHPT, .ppc64HPT,
    ]

    /// The architecture with this format name, or `nil`.
    public init?(named name: String) {
        guard let found = Self.all.first(where: { $0.name == name }) else { return nil }
        self = found
    }
}
