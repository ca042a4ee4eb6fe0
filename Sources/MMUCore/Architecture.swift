/// A target architecture (hardware page-table format) that a translation set may declare.
///
/// A set that declares one has every transaction checked at once against the architecture's
/// page sizes, virtual address rules and physical address width, instead of failing later when
/// its tables are rebuilt. The names are the export format names of DESIGN §5.
///
/// The catalog (``all``) is the one source of truth for the formats: every value is one of its
/// entries, and other modules join their per-format data to it by ``identifier``, never by name.
public struct Architecture: Hashable, Sendable {
    /// Which entry of the catalog this is.
    package let identifier: Identifier
    /// The format name, such as `x86_64-4level`; stored in the database.
    public let name: String
    /// A one-line description for people.
    public let summary: String
    /// The page sizes the hardware can map, ascending.
    public let pageSizes: [PageSize]
    /// Which virtual addresses are valid.
    public let addressing: VirtualAddressing
    /// The width of physical addresses the format can encode for pages of any size not listed
    /// in ``wideFramePhysicalAddressBits``.
    public let physicalAddressBits: Int
    /// Page sizes whose frames the format encodes with a wider physical address, such as
    /// i386's 4 MiB pages (40 bits with PSE-36) beside its 32-bit 4 KiB frames.
    public let wideFramePhysicalAddressBits: [PageSize: Int]
    /// For the IA-64 short format, the top `2^tableWindowBits` bytes of every region, which the
    /// region's virtually linear page table occupies, so no page may be mapped there; `nil` for
    /// the other formats.
    public let tableWindowBits: Int?
    /// When set, all pages within one aligned block of `2^sizeDomainBits` virtual bytes (a
    /// *size domain*) must have one page size: an IA-64 region (61) under the short-format
    /// VHPT, whose region register holds one page size, or a PowerPC segment (28), whose
    /// SLB entry holds one base page size.
    public let sizeDomainBits: Int?

    /// Creates the catalog entry `identifier`.
    init(
        _ identifier: Identifier, name: String, summary: String, pageSizes: [PageSize], addressing: VirtualAddressing, physicalAddressBits: Int,
        wideFramePhysicalAddressBits: [PageSize: Int] = [:], tableWindowBits: Int? = nil, sizeDomainBits: Int? = nil
    ) {
        self.identifier = identifier
        self.name = name
        self.summary = summary
        self.pageSizes = pageSizes.sorted()
        self.addressing = addressing
        self.physicalAddressBits = physicalAddressBits
        self.wideFramePhysicalAddressBits = wideFramePhysicalAddressBits
        self.tableWindowBits = tableWindowBits
        self.sizeDomainBits = sizeDomainBits
    }

    /// The size domain holding `address` (see ``sizeDomainBits``), or `nil` when the
    /// architecture lets page sizes mix freely.
    public func sizeDomain(of address: VirtualAddress) -> VirtualRange? {
        guard let sizeDomainBits else { return nil }
        let pages = UInt64(1) << UInt64(sizeDomainBits - 12)
        let first = address.pageNumber & ~(pages - 1)
        return VirtualRange(pages: first..<(first + pages))
    }

    /// The width of physical addresses the format can encode for frames of `size`.
    public func physicalAddressBits(for size: PageSize) -> Int {
        wideFramePhysicalAddressBits[size] ?? physicalAddressBits
    }

    /// Whether any page of `range` lies in a region's page-table window (``tableWindowBits``).
    public func overlapsTableWindow(_ range: VirtualRange) -> Bool {
        guard let tableWindowBits else { return false }
        let windowStart: UInt64 = (1 << 61) - (1 << UInt64(tableWindowBits))
        let offset = range.start.rawValue & ((1 << 61) - 1)
        return offset &+ range.byteCount > windowStart
    }

    /// The rule that decides which virtual addresses an architecture can translate.
    public enum VirtualAddressing: Hashable, Sendable {
        /// Bits 63 down to `bits - 1` are all equal (x86-64, RISC-V).
        case signExtended(bits: Int)
        /// Bits 63 down to `bits` are all zero (the TTBR0 half) or all one (the TTBR1 half),
        /// so each half spans `2^bits` bytes (AArch64).
        case splitHalves(bits: Int)
        /// Only addresses below `2^bits` (32-bit x86).
        case zeroExtended(bits: Int)
        /// IA-64: bits 63–61 choose a region; within it, bits 60 down to `implementedBits - 1`
        /// are all equal.
        case regions(implementedBits: Int)
        /// Every 64-bit address (PowerPC effective addresses, mapped through segments).
        case unrestricted

        /// Whether `address` is valid under this rule.
        public func isValid(_ address: VirtualAddress) -> Bool {
            let value = address.rawValue
            switch self {
            case .signExtended(let bits):
                let top = value >> UInt64(bits - 1)
                return top == 0 || top == UInt64.max >> UInt64(bits - 1)
            case .splitHalves(let bits):
                let top = value >> UInt64(bits)
                return top == 0 || top == UInt64.max >> UInt64(bits)
            case .zeroExtended(let bits):
                return value >> UInt64(bits) == 0
            case .regions(let implementedBits):
                let offset = value & ((1 << 61) - 1)
                let top = offset >> UInt64(implementedBits - 1)
                return top == 0 || top == (1 << (62 - UInt64(implementedBits))) - 1
            case .unrestricted:
                return true
            }
        }

        /// Whether every address of `range` is valid: both ends valid and on the same side of
        /// any hole (the same half, or the same IA-64 region).
        public func isValid(_ range: VirtualRange) -> Bool {
            let first = range.start, last = range.lastAddress
            guard isValid(first), isValid(last) else { return false }
            switch self {
            case .signExtended(let bits):
                return first.rawValue >> UInt64(bits - 1) == last.rawValue >> UInt64(bits - 1)
            case .splitHalves(let bits):
                return first.rawValue >> UInt64(bits) == last.rawValue >> UInt64(bits)
            case .regions(let implementedBits):
                return first.rawValue >> UInt64(implementedBits - 1) == last.rawValue >> UInt64(implementedBits - 1)
            case .zeroExtended, .unrestricted:
                return true
            }
        }
    }

    /// Whether the architecture can map pages of this size.
    public func supports(_ size: PageSize) -> Bool { pageSizes.contains(size) }

    /// Checks that the architecture can hold `entry`.
    ///
    /// - Throws: ``MappingError/unsupportedPageSize(_:architecture:)``,
    ///   ``MappingError/nonCanonical(_:architecture:)``, ``MappingError/insideTableWindow(_:architecture:)``
    ///   or ``MappingError/frameOutOfRange(_:architecture:)``.
    public func check(_ entry: MMUEntry) throws(MappingError) {
        guard supports(entry.size) else { throw .unsupportedPageSize(entry.size, architecture: name) }
        guard addressing.isValid(entry.range) else { throw .nonCanonical(entry.virtualAddress, architecture: name) }
        guard !overlapsTableWindow(entry.range) else { throw .insideTableWindow(entry.virtualAddress, architecture: name) }
        let frameEnd = entry.physicalAddress.rawValue + (entry.size.byteCount - 1)
        let bits = physicalAddressBits(for: entry.size)
        guard bits >= 64 || frameEnd >> UInt64(bits) == 0 else {
            throw .frameOutOfRange(entry.physicalAddress, architecture: name)
        }
    }
}

extension Architecture: CustomStringConvertible {
    /// The format name.
    public var description: String { name }
}
