import MMUCore

/// The IA-64 PTE / TLB-insertion word: a short-format VHPT entry and word 0 of a long-format
/// entry (HARDWARE-FORMATS.md §5 "PTE / TLB-insertion format").
///
/// p bit 0 | ma [4:2] (0 WB, 4 UC, 6 WC) | a bit 5 (always set) | d bit 6 (dirty) |
/// pl [8:7] (3 for user pages, 0 for kernel pages) | ar [11:9] (0 R, 1 RX, 2 RW, 3 RWX) |
/// ppn [49:12].
struct IA64PageTableEntry: RawRepresentable, Hashable, Sendable {
    var rawValue: UInt64

    static let present: UInt64 = 1 << 0
    static let accessed: UInt64 = 1 << 5
    static let dirty: UInt64 = 1 << 6
    static let physicalMask: UInt64 = ((1 << 50) - 1) & ~0xFFF
    /// rv bit 1 and bits 51:50.
    static let reservedMask: UInt64 = 1 << 1 | 3 << 50

    init(rawValue: UInt64) { self.rawValue = rawValue }

    /// The word for a canonical entry (read is implied: every ar grants it).
    init(_ entry: MMUEntry) {
        var raw = Self.present | Self.accessed | (entry.physicalAddress.rawValue & Self.physicalMask)
        let ma: UInt64 =
            switch entry.cacheMode {
            case .writeBack, .writeThrough: 0
            case .uncached: 4
            case .writeCombining: 6
            }
        raw |= ma << 2
        if entry.hasAttribute(CanonicalBits.dirty) { raw |= Self.dirty }
        if entry.has(CanonicalBits.user) { raw |= 3 << 7 }
        let ar: UInt64 = (entry.has(CanonicalBits.execute) ? 1 : 0) | (entry.has(CanonicalBits.write) ? 2 : 0)
        self.init(rawValue: raw | ar << 9)
    }

    var isPresent: Bool { rawValue & Self.present != 0 }

    /// The memory attribute, or `nil` for a reserved or NaTPage encoding.
    var cacheMode: CacheMode? {
        switch rawValue >> 2 & 7 {
        case 0: .writeBack
        case 4, 5: .uncached
        case 6: .writeCombining
        default: nil
        }
    }

    /// Whether the entry is present, accessed, and free of reserved bits and reserved memory
    /// attributes: the walk's common case, tested at once.
    @inline(__always)
    var isWellFormedAndAccessed: Bool {
        // ma 0 (WB), 4, 5 (UC) and 6 (WC) are valid: bits 0, 4, 5, 6 of 0x71.
        rawValue & (Self.present | Self.accessed | Self.reservedMask) == Self.present | Self.accessed
            && (0x71 &>> (rawValue &>> 2 & 7)) & 1 != 0
    }

    /// Whether reserved bits or a reserved memory attribute are set.
    var isMalformed: Bool { rawValue & Self.reservedMask != 0 || cacheMode == nil }

    /// The frame-aligned physical address of a page of `size`.
    func physicalAddress(size: PageSize) -> UInt64 { rawValue & Self.physicalMask & ~((1 &<< UInt64(size.shift)) &- 1) }

    /// The rights at CPL 0 (kernel) and CPL 3 (user) from pl and ar (SDM "Page Access Rights").
    ///
    /// A CPL sees ar's rights for its own level when CPL = pl, the rights for a more privileged
    /// level when CPL < pl, and nothing when CPL > pl; as rights per ar (r 1, w 2, x 4):
    /// same level 1 5 3 7 1 5 7 4, more privileged 1 5 3 7 3 7 3 5. So pl 0 gives the kernel
    /// the same-level rights, pl 1 and 2 the more-privileged ones, pl 3 the kernel those and
    /// the user the same-level ones: one 8-byte table per case, indexed by ar.
    @inline(__always)
    var rights: AccessRights {
        let pl = rawValue &>> 7 & 3, ar = rawValue &>> 9 & 7
        let table: UInt64 = pl == 0 ? 0x0407_0501_0703_0501 : (pl == 3 ? 0x253B_2F0B_3F1B_2D09 : 0x0503_0703_0703_0501)
        return AccessRights(rawValue: UInt8(truncatingIfNeeded: table &>> (ar &<< 3)))
    }

    /// The canonical attributes.
    var attributes: MMUEntry.Attributes {
        var attributes: MMUEntry.Attributes = []
        if rawValue & Self.accessed != 0 { attributes.insert(.accessed) }
        if rawValue & Self.dirty != 0 { attributes.insert(.dirty) }
        return attributes
    }

    /// The walk's verdict for an access once the entry is found.
    @inline(__always)
    func check(_ access: MemoryAccess, _ privilege: PrivilegeLevel, size: PageSize, address: UInt64, level: Int) -> TranslationResult {
        guard isPresent else { return .fault(TranslationFault(.notPresent, level: level)) }
        guard !isMalformed else { return .fault(TranslationFault(.reservedBits, level: level)) }
        let rights = self.rights
        guard rights.allows(access, privilege) else { return .fault(TranslationFault(.protection, level: level)) }
        guard rawValue & Self.accessed != 0 else { return .fault(TranslationFault(.accessFlag, level: level)) }
        if access == .write && rawValue & Self.dirty == 0 { return .fault(TranslationFault(.dirtyBit, level: level)) }
        let physical = physicalAddress(size: size) | (address & ((1 &<< UInt64(size.shift)) &- 1))
        return .mapped(Translation(physicalAddress: PhysicalAddress(physical), size: size, rights: rights, level: level))
    }

    /// The canonical entry this word maps at `address` with pages of `size`.
    func entry(at address: UInt64, size: PageSize) -> MMUEntry {
        var raw = self
        raw.rawValue |= Self.accessed
        return MMUEntry(
            VirtualAddress(address), to: PhysicalAddress(physicalAddress(size: size)), size: size,
            protection: PageTableFormat.protection(from: raw.rights), attributes: attributes,
            cacheMode: cacheMode ?? .uncached)
    }
}

/// IA-64 region and implemented-address arithmetic shared by both VHPT formats.
enum IA64Regions {
    /// Implemented virtual-address bits per region (IMPL_VA_MSB = 50).
    static let implementedBits: UInt64 = 51
    /// The region ID given to region `n`: `n` itself (Linux's `(context << 3) | n` with context 0).
    static func regionID(_ region: Int) -> UInt64 { UInt64(region) }

    /// The implemented offset bits of an address (VA[50:0]), or `nil` when VA[60:51] is not the
    /// sign extension of bit 50 (an unimplemented address).
    static func implementedOffset(_ address: UInt64) -> UInt64? {
        let offset = address & ((1 << 61) - 1)
        let top = offset >> (implementedBits - 1)
        guard top == 0 || top == (1 << (62 - implementedBits)) - 1 else { return nil }
        return offset & ((1 << implementedBits) - 1)
    }

    /// The address in `region` whose implemented offset bits are `offset` (sign-extended).
    static func address(region: Int, offset: UInt64) -> UInt64 {
        let extended = offset & (1 << (implementedBits - 1)) != 0 ? offset | (((1 << 61) - 1) & ~((1 << implementedBits) - 1)) : offset
        return UInt64(region) << 61 | extended
    }

    /// A region register value: rid [31:8], ps [7:2], ve bit 0.
    static func regionRegister(region: Int, pageShift: UInt8) -> UInt64 {
        regionID(region) << 8 | UInt64(pageShift) << 2 | 1
    }
}
