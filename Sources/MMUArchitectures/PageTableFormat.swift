import MMUCore

/// A hardware page-table format: its identity (an ``Architecture`` from MMUCore), what it can
/// encode, and how canonical entries map onto its bits and privilege levels.
///
/// Every format is reachable from ``all`` or ``init(named:)``. The per-format mapping of
/// canonical fields, and what is lost, is documented on ``normalized(_:)`` and ``rights(for:)``.
public struct PageTableFormat: Hashable, Sendable {
    /// The family of encoders and the variant within it.
    enum Family: Hashable, Sendable {
        case x86(X86Mode)
        case aarch64(virtualBits: Int)
        case riscv(levels: Int)
        case ia64Long
        case ia64Short
        case ppc64
    }

    /// The architecture this format encodes (its `name` is the export format name).
    public let architecture: Architecture
    /// The encoder family.
    let family: Family
    /// Bit *n* set when pages of 2^*n* bytes are supported (for fast checks).
    let supportedShifts: UInt64

    init(_ architecture: Architecture, _ family: Family) {
        self.architecture = architecture
        self.family = family
        self.supportedShifts = architecture.pageSizes.reduce(0) { $0 | 1 << UInt64($1.shift) }
    }

    /// The export format name, such as `x86_64-4level`.
    public var name: String { architecture.name }

    /// The page sizes the format can map, ascending.
    public var pageSizes: [PageSize] { architecture.pageSizes }

    /// The number of virtual-address bits translated (per half for AArch64, per region
    /// offset for IA-64, the effective-address width for PowerPC).
    public var virtualAddressBits: Int {
        switch architecture.addressing {
        case .signExtended(let bits), .splitHalves(let bits), .zeroExtended(let bits): bits
        case .regions(let implementedBits): implementedBits
        case .unrestricted: 64
        }
    }

    /// The widest physical address the format can encode for any page size.
    public var physicalAddressBits: Int {
        pageSizes.map { physicalAddressBits(for: $0) }.max() ?? architecture.physicalAddressBits
    }

    /// The physical address width for pages of `size`: i386 4 MiB pages reach 40 bits through
    /// PSE-36/PSE-40 (PDE bits 20:13 hold PA[39:32]); every other case is the architecture's.
    public func physicalAddressBits(for size: PageSize) -> Int { architecture.physicalAddressBits(for: size) }

    /// Whether the format is a radix tree (else a hashed table).
    public var isRadix: Bool {
        switch family {
        case .x86, .aarch64, .riscv: true
        case .ia64Long, .ia64Short, .ppc64: false
        }
    }
}

extension PageTableFormat: CustomStringConvertible {
    /// The format name.
    public var description: String { name }
}
