import MMUCore

extension PageTableFormat {
    /// Every format, in the order `mmu formats` lists them: one for each entry of
    /// ``Architecture/all``.
    public static let all: [PageTableFormat] = Architecture.all.map(PageTableFormat.init)

    /// The format with this export name (`x86_64-4level`, `ppc64-hpt`, …), or `nil`.
    public init?(named name: String) {
        guard let architecture = Architecture(named: name) else { return nil }
        self.init(architecture)
    }

    /// The format that encodes `architecture`: every architecture has one.
    public init(_ architecture: Architecture) {
        let family: Family = switch architecture.identifier {
        case .x86_64FourLevel: .x86(.fourLevel)
        case .x86_64FiveLevel: .x86(.fiveLevel)
        case .i386: .x86(.legacy)
        case .i386PAE: .x86(.pae)
        case .aarch64FourK48: .aarch64(virtualBits: 48)
        case .aarch64FourK39: .aarch64(virtualBits: 39)
        case .riscvSv39: .riscv(levels: 3)
        case .riscvSv48: .riscv(levels: 4)
        case .riscvSv57: .riscv(levels: 5)
        case .ia64LongVHPT: .ia64Long
        case .ia64ShortVHPT: .ia64Short
        case .ppc64HPT: .ppc64
        }
        self.init(architecture, family)
    }
}
