/// The minimal same-run reference of one format: a table of the same shape (depth and entry
/// size for radix formats; hashed records, a linear table or PTEG search for the others)
/// with none of the format's permissions, page sizes, faults or placement.
enum ReferenceTable {
    /// i386's 4-byte entries.
    case radix32(ReferenceRadix<UInt32>)
    /// 8-byte radix entries.
    case radix64(ReferenceRadix<UInt64>)
    /// IA-64 long-format VHPT: hashed 32-byte records with chains.
    case hashed(ReferenceHashed)
    /// IA-64 short-format VHPT: a linear table.
    case linear(ReferenceLinear)
    /// PowerPC HPT: PTEG search.
    case pteg(ReferencePTEG)

    /// An empty reference for `format`.
    init(for format: String) {
        switch format {
        case "i386": self = .radix32(ReferenceRadix(levels: ReferenceRadix<UInt32>.levels(of: format)))
        case "ia64-vhpt-long": self = .hashed(ReferenceHashed())
        case "ia64-vhpt-short": self = .linear(ReferenceLinear())
        case "ppc64-hpt": self = .pteg(ReferencePTEG())
        default: self = .radix64(ReferenceRadix(levels: ReferenceRadix<UInt64>.levels(of: format)))
        }
    }

    /// What the reference is, for the results table.
    static func name(for format: String) -> String {
        switch format {
        case "i386": "minimal 2-level walk, 4-byte entries"
        case "i386-pae": "minimal 3-level PAE walk"
        case "ia64-vhpt-long": "minimal 32-byte hashed table"
        case "ia64-vhpt-short": "minimal linear table"
        case "ppc64-hpt": "minimal PTEG search"
        default: "minimal \(ReferenceRadix<UInt64>.levels(of: format).count)-level walk"
        }
    }

    /// Builds 4 KiB mappings from (virtual address, frame number) pairs.
    mutating func build(_ pages: [(UInt64, UInt64)]) {
        switch self {
        case .radix32(var table): table.build(pages); self = .radix32(table)
        case .radix64(var table): table.build(pages); self = .radix64(table)
        case .hashed(var table): table.build(pages); self = .hashed(table)
        case .linear(var table): table.build(pages); self = .linear(table)
        case .pteg(var table): table.build(pages); self = .pteg(table)
        }
    }

    /// The sum of the physical addresses `addresses` translate to (0 for an unmapped one).
    func translate(_ addresses: [UInt64]) -> UInt64 {
        var sum: UInt64 = 0
        switch self {
        case .radix32(let table): for address in addresses { sum &+= table.translate(address) }
        case .radix64(let table): for address in addresses { sum &+= table.translate(address) }
        case .hashed(let table): for address in addresses { sum &+= table.translate(address) }
        case .linear(let table): for address in addresses { sum &+= table.translate(address) }
        case .pteg(let table): for address in addresses { sum &+= table.translate(address) }
        }
        return sum
    }
}
