import MMUCore

/// x86 page-table entry bits (HARDWARE-FORMATS.md §1 "Entry format", §2a and §2b) for the
/// four x86 paging modes.
///
/// Leaves: P | R/W (write) | U/S (user) | PWT, PCD, PAT (cache) | A (always) | D (dirty) |
/// G (global) | PS at PDPT/PD | XD bit 63 (not executable; not in 32-bit paging).
/// Non-leaf entries are fully permissive: P | R/W | U/S | A, XD = 0; the PAE PDPTE carries only
/// P and the address. Cache modes are PAT indices under ``patValue``: 0 write-back,
/// 1 (PWT) write-through, 2 (PCD) write-combining, 3 (PCD|PWT) uncached. Imported tables read
/// their memory types through the PAT their registers give (``X86ControlRegisters``).
///
/// An empty value whose paging mode is its type parameter: every mode test folds away when the
/// engine is compiled for one mode.
struct X86EntryCodec<Paging: X86Paging>: RadixEntryCodec {
    /// The paging mode.
    @inline(__always)
    var mode: X86Mode { Paging.mode }

    /// The index of the last level.
    @inline(__always)
    var lastLevel: Int {
        switch mode {
        case .fourLevel: 3
        case .fiveLevel: 4
        case .legacy: 1
        case .pae: 2
        }
    }

    /// The page shift of a leaf at each level (0 where leaves may not sit).
    @inline(__always)
    var leafShifts: PackedLevelBytes {
        switch mode {
        case .fourLevel: PackedLevelBytes(raw: 0x0C_15_1E_00)
        case .fiveLevel: PackedLevelBytes(raw: 0x0C_15_1E_00_00)
        case .legacy: PackedLevelBytes(raw: 0x0C_16)
        case .pae: PackedLevelBytes(raw: 0x0C_15_00)
        }
    }

    @inline(__always)
    var walkShape: RadixWalkShape {
        switch mode {
        case .fourLevel: RadixWalkShape(topShift: 39, topIndexMask: 511, step: 9)
        case .fiveLevel: RadixWalkShape(topShift: 48, topIndexMask: 511, step: 9)
        case .legacy: RadixWalkShape(topShift: 22, topIndexMask: 1023, step: 10)
        case .pae: RadixWalkShape(topShift: 30, topIndexMask: 3, step: 9)
        }
    }

    /// Bit 0, P.
    static var present: UInt64 { 1 << 0 }
    /// Bit 1, R/W.
    static var writable: UInt64 { 1 << 1 }
    /// Bit 2, U/S.
    static var user: UInt64 { 1 << 2 }
    /// Bit 3, PWT.
    static var writeThrough: UInt64 { 1 << 3 }
    /// Bit 4, PCD.
    static var cacheDisable: UInt64 { 1 << 4 }
    /// Bit 5, A.
    static var accessed: UInt64 { 1 << 5 }
    /// Bit 6, D.
    static var dirty: UInt64 { 1 << 6 }
    /// Bit 7, PS in a PDPTE/PDE (PAT in a PTE).
    static var pageSize: UInt64 { 1 << 7 }
    /// Bit 8, G.
    static var global: UInt64 { 1 << 8 }
    /// Bit 12, PAT of a large leaf.
    static var largePAT: UInt64 { 1 << 12 }
    /// Bit 63, XD (with EFER.NXE = 1).
    static var executeDisable: UInt64 { 1 << 63 }
    /// The PAT MSR the tables are meant for: WB, WT, WC, UC, then the same again.
    static var patValue: UInt64 { 0x0001_0406_0001_0406 }
    /// MAXPHYADDR assumed for reserved-bit checks of 64-bit entries.
    static var maxPhysicalBits: UInt64 { 52 }

    init() {}

    var layout: RadixLayout { Self.layout(for: mode) }

    @inline(__always)
    var hasFourByteEntries: Bool { mode == .legacy }

    /// The levels of each paging mode.
    private static func layout(for mode: X86Mode) -> RadixLayout {
        let level = RadixLayout.level
        switch mode {
        case .fourLevel:
            return RadixLayout(
                generic: [
                    level("PML4", "pgd", 39, 9, nil), level("", "p4d", 39, 0, nil), level("PDPT", "pud", 30, 9, .size1GiB),
                    level("PD", "pmd", 21, 9, .size2MiB), level("PT", "pte", 12, 9, .size4KiB),
                ], entryBytes: 8)
        case .fiveLevel:
            return RadixLayout(
                generic: [
                    level("PML5", "pgd", 48, 9, nil), level("PML4", "p4d", 39, 9, nil),
                    level("PDPT", "pud", 30, 9, .size1GiB), level("PD", "pmd", 21, 9, .size2MiB),
                    level("PT", "pte", 12, 9, .size4KiB),
                ], entryBytes: 8)
        case .legacy:
            return RadixLayout(
                generic: [
                    level("PD", "pgd", 22, 10, .size4MiB), level("", "p4d", 22, 0, nil), level("", "pud", 22, 0, nil),
                    level("", "pmd", 22, 0, nil), level("PT", "pte", 12, 10, .size4KiB),
                ], entryBytes: 4)
        case .pae:
            return RadixLayout(
                generic: [
                    level("PDPT", "pgd", 30, 2, nil), level("", "p4d", 30, 0, nil), level("", "pud", 30, 0, nil),
                    level("PD", "pmd", 21, 9, .size2MiB), level("PT", "pte", 12, 9, .size4KiB),
                ], entryBytes: 8)
        }
    }

    var tableAddressLimit: UInt64 {
        switch mode {
        case .legacy, .pae: 1 << 32
        case .fourLevel, .fiveLevel: 1 << 52
        }
    }

    @inline(__always)
    func root(of address: UInt64) -> Int? {
        switch mode {
        case .legacy, .pae: return address >> 32 == 0 ? 0 : nil
        case .fourLevel:
            // Bits 63:47 all equal: adding 2^47 carries both canonical halves below 2^48.
            return (address &+ 1 << 47) >> 48 == 0 ? 0 : nil
        case .fiveLevel:
            return (address &+ 1 << 56) >> 57 == 0 ? 0 : nil
        }
    }

    func virtualAddress(root: Int, indexBits: UInt64) -> UInt64 {
        switch mode {
        case .legacy, .pae: indexBits
        case .fourLevel: indexBits & (1 << 47) != 0 ? indexBits | ~((1 << 48) - 1) : indexBits
        case .fiveLevel: indexBits & (1 << 56) != 0 ? indexBits | ~((1 << 57) - 1) : indexBits
        }
    }

    /// The PWT/PCD bits of a cache mode (PAT index bit 2 stays 0).
    private func cacheBits(_ mode: CacheMode) -> UInt64 {
        switch mode {
        case .writeBack: 0
        case .writeThrough: Self.writeThrough
        case .writeCombining: Self.cacheDisable
        case .uncached: Self.cacheDisable | Self.writeThrough
        }
    }

    func leaf(_ entry: MMUEntry, level: Int) -> UInt64 {
        var raw = Self.present | Self.accessed | cacheBits(entry.cacheMode)
        if entry.has(CanonicalBits.write) { raw |= Self.writable }
        if entry.has(CanonicalBits.user) { raw |= Self.user }
        if entry.hasAttribute(CanonicalBits.dirty) { raw |= Self.dirty }
        if entry.hasAttribute(CanonicalBits.global) { raw |= Self.global }
        if mode != .legacy && !entry.has(CanonicalBits.execute) { raw |= Self.executeDisable }
        let physical = entry.physicalAddress.rawValue
        if entry.size == .size4KiB { return raw | physical }
        raw |= Self.pageSize
        if mode == .legacy {
            // 4 MiB PDE: PA[31:22] in bits 31:22, PA[39:32] in bits 20:13 (PSE-36/PSE-40).
            return raw | (physical & 0xFFC0_0000) | ((physical >> 32) & 0xFF) << 13
        }
        return raw | physical
    }

    func table(frame: UInt64, level: Int) -> UInt64 {
        let address = frame << 12
        if mode == .pae && level == 0 { return Self.present | address }
        return Self.present | Self.writable | Self.user | Self.accessed | address
    }

    /// Rights allowed by the R/W, U/S and XD bits of one entry: a lookup in an 8-byte table
    /// indexed by those three bits (XD reads as 0 in 32-bit paging).
    @inline(__always)
    private func rights(_ raw: UInt64) -> AccessRights {
        // Byte W | U << 1 | XD << 2: kernel R, W if W, X unless XD; user the same when U.
        let table: UInt64 = 0x1B09_0301_3F2D_0705
        let executeDisable = mode == .legacy ? 0 : (raw &>> 61) & 4
        let index = (raw &>> 1) & 3 | executeDisable
        return AccessRights(rawValue: UInt8(truncatingIfNeeded: table &>> (index &<< 3)))
    }

    @inline(__always)
    func decode(_ raw: UInt64, level: Int) -> RadixDescriptor {
        guard raw & Self.present != 0 else { return .invalid }
        if mode == .legacy { return decodeLegacy(raw, level: level) }
        let addressMask: UInt64 = 0x000F_FFFF_FFFF_F000
        if mode == .pae && level == 0 {
            // PDPTE: only P, PWT, PCD and the address; bits 2:1, 8:5 and 63:M reserved.
            guard raw & (0x1E6 | ~(addressMask | 0xFFF)) == 0 else { return .reserved }
            return .table(frame: (raw & addressMask) >> 12, allowed: .all)
        }
        // Bits 51:M are reserved (M = 52: none); 62:52 are ignored or protection keys.
        if level == lastLevel { return .leaf(physical: raw & addressMask, rights: rights(raw)) }
        if raw & Self.pageSize != 0 {
            let leafShift = leafShifts[level]
            guard leafShift != 0 else { return .reserved }
            let sizeMask: UInt64 = (1 << leafShift) - 1
            // Bits 13 up to the page size are reserved (bit 12 is PAT).
            guard raw & sizeMask & ~0x1FFF == 0 else { return .reserved }
            return .leaf(physical: raw & addressMask & ~sizeMask, rights: rights(raw))
        }
        return .table(frame: (raw & addressMask) >> 12, allowed: rights(raw))
    }

    @inline(__always)
    func nextTableAddress(_ raw: UInt64, level: Int, and: inout UInt64, or: inout UInt64) -> UInt64? {
        guard raw & (Self.present | Self.pageSize) == Self.present, level != lastLevel else { return nil }
        switch mode {
        case .legacy:
            and &= raw
            return raw & 0xFFFF_F000
        case .pae where level == 0:
            // The PDPTE carries no rights; its reserved bits go through the full decode.
            guard raw & (0x1E6 | 0xFFF0_0000_0000_0000) == 0 else { return nil }
            return raw & 0x000F_FFFF_FFFF_F000
        default:
            and &= raw
            or |= raw
            return raw & 0x000F_FFFF_FFFF_F000
        }
    }

    @inline(__always)
    func pathRights(and: UInt64, or: UInt64) -> AccessRights {
        rights((and & (Self.writable | Self.user)) | Self.present | (mode == .legacy ? 0 : or & Self.executeDisable))
    }

    /// One pass instead of two: R/W and U/S are ANDed and XD is ORed along the path, the leaf's
    /// own bits included, so the leaf's rights and the path's intersect as the rights of the
    /// folded bits.
    @inline(__always)
    func effectiveRights(ofLeaf raw: UInt64, rights: AccessRights, and: UInt64, or: UInt64) -> AccessRights {
        self.rights((raw & and & (Self.writable | Self.user)) | Self.present | ((raw | or) & Self.executeDisable))
    }

    /// 32-bit paging (HARDWARE-FORMATS.md §2a).
    private func decodeLegacy(_ raw: UInt64, level: Int) -> RadixDescriptor {
        if level == 0 && raw & Self.pageSize != 0 {
            // 4 MiB page: bit 21 reserved.
            guard raw & (1 << 21) == 0 else { return .reserved }
            let physical = (raw & 0xFFC0_0000) | ((raw >> 13) & 0xFF) << 32
            return .leaf(physical: physical, rights: rights(raw))
        }
        let address = raw & 0xFFFF_F000
        return level == 0 ? .table(frame: address >> 12, allowed: rights(raw)) : .leaf(physical: address, rights: rights(raw))
    }

    func attributes(ofLeaf raw: UInt64, level: Int) -> (MMUEntry.Attributes, CacheMode) {
        var attributes: MMUEntry.Attributes = []
        if raw & Self.accessed != 0 { attributes.insert(.accessed) }
        if raw & Self.dirty != 0 { attributes.insert(.dirty) }
        if raw & Self.global != 0 { attributes.insert(.global) }
        let index = (raw & Self.writeThrough != 0 ? 1 : 0) | (raw & Self.cacheDisable != 0 ? 2 : 0)
        let modes: [CacheMode] = [.writeBack, .writeThrough, .writeCombining, .uncached]
        return (attributes, modes[index])
    }

    /// The PAT index of a leaf: PWT | PCD << 1 | PAT << 2, the PAT bit being bit 7 of a 4 KiB
    /// entry and bit 12 of a larger one.
    @inline(__always)
    func memoryTypeIndex(ofLeaf raw: UInt64, level: Int) -> Int {
        let patBit = level == lastLevel ? Self.pageSize : Self.largePAT
        return Int((raw >> 3) & 3) | (raw & patBit != 0 ? 4 : 0)
    }

    func checkedControlRegisters(_ registers: [String: UInt64]) throws(ImageError) -> [CacheMode?]? {
        try X86ControlRegisters(checking: registers, mode: mode).cacheModes
    }

    func rootRegisters(rootFrames: [UInt64]) -> [String: UInt64] { ["cr3": rootFrames[0] << 12] }

    func rootFrames(from registers: [String: UInt64]) -> [UInt64]? {
        guard let cr3 = registers["cr3"] else { return nil }
        switch mode {
        case .pae, .legacy:
            // The tables are whole pages: a PAE PDPT at a 32-byte offset is not one.
            guard cr3 >> 32 == 0, cr3 & 0xFFF == 0 else { return nil }
            return [cr3 >> 12]
        case .fourLevel, .fiveLevel:
            // Bits 11:0 never address the root: PWT, PCD and ignored bits, or the PCID when
            // CR4.PCIDE is set; bits 63:52 are reserved.
            guard cr3 >> 52 == 0 else { return nil }
            return [cr3 >> 12]
        }
    }

    var controlRegisters: [String: UInt64] {
        let cr0: UInt64 = 1 << 0 | 1 << 16 | 1 << 31  // PE | WP | PG
        switch mode {
        case .legacy:
            return ["cr0": cr0, "cr4": 1 << 4 | 1 << 7, "efer": 0, "pat": Self.patValue]  // PSE | PGE
        case .pae:
            return ["cr0": cr0, "cr4": 1 << 5 | 1 << 7, "efer": 1 << 11, "pat": Self.patValue]  // PAE | PGE; NXE
        case .fourLevel:
            return ["cr0": cr0, "cr4": 1 << 5 | 1 << 7, "efer": 1 << 8 | 1 << 10 | 1 << 11, "pat": Self.patValue]
        case .fiveLevel:
            return ["cr0": cr0, "cr4": 1 << 5 | 1 << 7 | 1 << 12, "efer": 1 << 8 | 1 << 10 | 1 << 11, "pat": Self.patValue]
        }
    }
}
