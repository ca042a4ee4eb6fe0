import MMUCore

extension PageTableFormat {
    /// Every format, in the order `mmu formats` lists them (the order of ``Architecture/all``).
    public static let all: [PageTableFormat] = [
        PageTableFormat(.x86_64FourLevel, .x86(.fourLevel)),
        PageTableFormat(.x86_64FiveLevel, .x86(.fiveLevel)),
        PageTableFormat(.i386, .x86(.legacy)),
        PageTableFormat(.i386PAE, .x86(.pae)),
        PageTableFormat(.aarch64FourK48, .aarch64(virtualBits: 48)),
        PageTableFormat(.aarch64FourK39, .aarch64(virtualBits: 39)),
        PageTableFormat(.riscvSv39, .riscv(levels: 3)),
        PageTableFormat(.riscvSv48, .riscv(levels: 4)),
        PageTableFormat(.riscvSv57, .riscv(levels: 5)),
        PageTableFormat(.ia64LongVHPT, .ia64Long),
        PageTableFormat(.ia64ShortVHPT, .ia64Short),
        PageTableFormat(.ppc64HPT, .ppc64),
    ]

    /// The format with this export name (`x86_64-4level`, `ppc64-hpt`, …), or `nil`.
    public init?(named name: String) {
        guard let format = Self.all.first(where: { $0.name == name }) else { return nil }
        self = format
    }

    /// The format that encodes `architecture`, or `nil` when none does.
    public init?(_ architecture: Architecture) {
        self.init(named: architecture.name)
    }
}
