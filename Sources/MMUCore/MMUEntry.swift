/// One architecture-neutral translation: a virtual page of some size mapped to a physical frame.
///
/// Corresponds to the proposal's `mmu_entry_t`. The virtual and physical addresses are both
/// aligned to ``size``.
public struct MMUEntry: Hashable, Sendable {
    /// Where the page starts.
    public var virtualAddress: VirtualAddress
    /// Where the frame starts.
    public var physicalAddress: PhysicalAddress
    /// The page size.
    public var size: PageSize
    /// The access rights.
    public var protection: Protection
    /// Global, accessed and dirty bits.
    public var attributes: Attributes
    /// The caching mode.
    public var cacheMode: CacheMode

    /// Creates an entry.
    public init(
        _ virtualAddress: VirtualAddress, to physicalAddress: PhysicalAddress, size: PageSize = .size4KiB,
        protection: Protection, attributes: Attributes = [], cacheMode: CacheMode = .writeBack
    ) {
        self.virtualAddress = virtualAddress
        self.physicalAddress = physicalAddress
        self.size = size
        self.protection = protection
        self.attributes = attributes
        self.cacheMode = cacheMode
    }

    /// The virtual pages the entry covers.
    public var range: VirtualRange {
        VirtualRange(pages: virtualAddress.pageNumber..<(virtualAddress.pageNumber + size.pageCount))
    }

    /// The 4 KiB page number of the start (`va >> 12`), the store's key.
    public var pageNumber: UInt64 { virtualAddress.pageNumber }

    /// The 4 KiB frame number of the start (`pa >> 12`).
    public var frameNumber: UInt64 { physicalAddress.frameNumber }

    /// Whether the entry is shared by every translation set.
    public var isGlobal: Bool { attributes.contains(.global) }

    /// The physical address `address` translates to, or `nil` when the entry does not cover it.
    public func translate(_ address: VirtualAddress) -> PhysicalAddress? {
        guard range.contains(address) else { return nil }
        return PhysicalAddress(physicalAddress.rawValue | address.offset(in: size))
    }

    /// Whether two entries map alike: same protection, cache mode and global bit.
    ///
    /// Alike, contiguous entries may be promoted into one larger page.
    public func isAlike(_ other: MMUEntry) -> Bool {
        protection == other.protection && cacheMode == other.cacheMode && isGlobal == other.isGlobal
    }

    /// The same translation restricted to `pages`, which must lie inside ``range`` and be aligned to `size`.
    func piece(_ pages: Range<UInt64>, size pieceSize: PageSize) -> MMUEntry {
        var piece = self
        piece.virtualAddress = VirtualAddress(pageNumber: pages.lowerBound)
        piece.physicalAddress = PhysicalAddress(frameNumber: frameNumber + (pages.lowerBound - pageNumber))
        piece.size = pieceSize
        return piece
    }
}

extension MMUEntry: CustomStringConvertible {
    /// `0x400000 -> 0x1234000 4KiB r-xu` with `global`, cache mode and A/D when set.
    public var description: String {
        var text = "\(virtualAddress) -> \(physicalAddress) \(size) \(protection)"
        if cacheMode != .writeBack { text += " \(cacheMode.rawValue)" }
        if !attributes.isEmpty { text += " \(attributes)" }
        return text
    }
}

extension MMUEntry: Codable {
    private enum CodingKeys: String, CodingKey {
        case virtualAddress = "va", physicalAddress = "pa", size, protection, global, accessed, dirty, cacheMode = "cache"
    }

    /// Decodes `{"va":"0x…","pa":"0x…","size":"4KiB","protection":"rw-u"}` with optional
    /// `global`, `accessed`, `dirty` (booleans) and `cache` (`wb`, `wt`, `wc`, `uc`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var attributes: Attributes = []
        if try container.decodeIfPresent(Bool.self, forKey: .global) == true { attributes.insert(.global) }
        if try container.decodeIfPresent(Bool.self, forKey: .accessed) == true { attributes.insert(.accessed) }
        if try container.decodeIfPresent(Bool.self, forKey: .dirty) == true { attributes.insert(.dirty) }
        self.init(
            try container.decode(VirtualAddress.self, forKey: .virtualAddress),
            to: try container.decode(PhysicalAddress.self, forKey: .physicalAddress),
            size: try container.decodeIfPresent(PageSize.self, forKey: .size) ?? .size4KiB,
            protection: try container.decode(Protection.self, forKey: .protection),
            attributes: attributes,
            cacheMode: try container.decodeIfPresent(CacheMode.self, forKey: .cacheMode) ?? .writeBack)
    }

    /// Encodes the form ``init(from:)`` reads; false flags and the default cache mode are left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(virtualAddress, forKey: .virtualAddress)
        try container.encode(physicalAddress, forKey: .physicalAddress)
        try container.encode(size, forKey: .size)
        try container.encode(protection, forKey: .protection)
        if isGlobal { try container.encode(true, forKey: .global) }
        if attributes.contains(.accessed) { try container.encode(true, forKey: .accessed) }
        if attributes.contains(.dirty) { try container.encode(true, forKey: .dirty) }
        if cacheMode != .writeBack { try container.encode(cacheMode, forKey: .cacheMode) }
    }
}
