import MMUCore

/// AArch64 VMSAv8-64 stage-1 descriptors, 4 KiB granule (HARDWARE-FORMATS.md §3
/// "Descriptor encoding", "Block / page descriptor" and "Table descriptor").
///
/// Leaves: bits[1:0] = 01 (L1/L2 block) or 11 (L3 page) | AttrIndx[4:2] = cache mode
/// (MAIR_EL1 Attr0 0xFF WB, Attr1 0xBB WT, Attr2 0x44 Normal-NC for WC, Attr3 0x00
/// Device-nGnRnE for UC) | AP[2] bit 7 = read-only | AP[1] bit 6 = EL0 access | SH = 11 |
/// AF bit 10 = 1 | nG bit 11 = not global | PXN bit 53 = not kernel-executable |
/// UXN bit 54 = not user-executable (always set on kernel pages) | bit 55 = software dirty
/// (Linux `PTE_DIRTY`; no DBM, TCR_EL1.HA = HD = 0).
/// Table descriptors: bits[1:0] = 11 and the address; APTable, UXNTable, PXNTable, NSTable 0.
///
/// An empty value whose address size is its type parameter: every size test folds away when
/// the engine is compiled for one size.
struct AArch64EntryCodec<Size: AArch64AddressSize>: RadixEntryCodec {
    /// The virtual-address bits of each half (48 or 39).
    @inline(__always)
    var virtualBits: Int { Size.virtualBits }

    /// The index of the last level.
    @inline(__always)
    var lastLevel: Int { virtualBits == 48 ? 3 : 2 }

    /// The page shift of a leaf at each level (0 where leaves may not sit).
    @inline(__always)
    var leafShifts: PackedLevelBytes { PackedLevelBytes(raw: virtualBits == 48 ? 0x0C_15_1E_00 : 0x0C_15_1E) }

    @inline(__always)
    var walkShape: RadixWalkShape { RadixWalkShape(topShift: virtualBits == 48 ? 39 : 30, topIndexMask: 511, step: 9) }

    static var valid: UInt64 { 1 << 0 }
    static var tableOrPage: UInt64 { 1 << 1 }
    static var apUser: UInt64 { 1 << 6 }
    static var apReadOnly: UInt64 { 1 << 7 }
    static var innerShareable: UInt64 { 3 << 8 }
    static var accessFlag: UInt64 { 1 << 10 }
    static var notGlobal: UInt64 { 1 << 11 }
    static var privilegedExecuteNever: UInt64 { 1 << 53 }
    static var unprivilegedExecuteNever: UInt64 { 1 << 54 }
    static var softwareDirty: UInt64 { 1 << 55 }
    static var pxnTable: UInt64 { 1 << 59 }
    static var uxnTable: UInt64 { 1 << 60 }
    static var apTableNoUser: UInt64 { 1 << 61 }
    static var apTableReadOnly: UInt64 { 1 << 62 }
    static var addressMask: UInt64 { 0x0000_FFFF_FFFF_F000 }
    /// MAIR_EL1: Attr0 0xFF, Attr1 0xBB, Attr2 0x44, Attr3 0x00.
    static var mairValue: UInt64 { 0x0000_0000_0044_BBFF }

    init() {}

    var layout: RadixLayout { Self.layout(virtualBits: virtualBits) }

    var hasFourByteEntries: Bool { false }

    /// The levels for 48- or 39-bit halves.
    private static func layout(virtualBits: Int) -> RadixLayout {
        let level = RadixLayout.level
        let top = virtualBits == 48 ? level("L0", "pgd", 39, 9, nil) : level("", "pgd", 39, 0, nil)
        return RadixLayout(
            generic: [
                top, level("", "p4d", 39, 0, nil),
                level("L1", virtualBits == 48 ? "pud" : "pud", 30, 9, .size1GiB),
                level("L2", "pmd", 21, 9, .size2MiB), level("L3", "pte", 12, 9, .size4KiB),
            ], entryBytes: 8, rootCount: 2)
    }

    var tableAddressLimit: UInt64 { 1 << 48 }

    @inline(__always)
    func root(of address: UInt64) -> Int? {
        let top = address >> UInt64(virtualBits)
        if top == 0 { return 0 }
        if top == UInt64.max >> UInt64(virtualBits) { return 1 }
        return nil
    }

    func virtualAddress(root: Int, indexBits: UInt64) -> UInt64 {
        root == 0 ? indexBits : indexBits | ~((1 << UInt64(virtualBits)) - 1)
    }

    func leaf(_ entry: MMUEntry, level: Int) -> UInt64 {
        let isPage = leafShifts[level] == 12
        var raw = Self.valid | (isPage ? Self.tableOrPage : 0) | Self.innerShareable | Self.accessFlag
        raw |= UInt64(entry.cacheMode.storedValue) << 2
        if !entry.has(CanonicalBits.write) { raw |= Self.apReadOnly }
        if entry.has(CanonicalBits.user) { raw |= Self.apUser }
        if !entry.hasAttribute(CanonicalBits.global) { raw |= Self.notGlobal }
        if !entry.has(CanonicalBits.execute) { raw |= Self.privilegedExecuteNever }
        if !entry.has(CanonicalBits.execute | CanonicalBits.user) { raw |= Self.unprivilegedExecuteNever }
        if entry.hasAttribute(CanonicalBits.dirty) { raw |= Self.softwareDirty }
        return raw | entry.physicalAddress.rawValue
    }

    func table(frame: UInt64, level: Int) -> UInt64 { Self.valid | Self.tableOrPage | frame << 12 }

    @inline(__always)
    func decode(_ raw: UInt64, level: Int) -> RadixDescriptor {
        guard raw & Self.valid != 0 else { return .invalid }
        let isLast = level == lastLevel
        if isLast {
            // Only 4 KiB pages (bits[1:0] = 11; 01 is a translation fault).
            guard raw & Self.tableOrPage != 0 else { return .invalid }
            guard raw & Self.accessFlag != 0 else { return .accessFlagClear }
            return .leaf(physical: raw & Self.addressMask, rights: leafRights(raw))
        }
        if raw & Self.tableOrPage != 0 {
            var allowed = AccessRights.all.rawValue
            if raw & Self.apTableNoUser != 0 { allowed &= 0b000_111 }
            if raw & Self.apTableReadOnly != 0 { allowed &= 0b101_101 }
            if raw & Self.uxnTable != 0 { allowed &= 0b011_111 }
            if raw & Self.pxnTable != 0 { allowed &= 0b111_011 }
            return .table(frame: (raw & Self.addressMask) >> 12, allowed: AccessRights(rawValue: allowed))
        }
        // A block at a level without blocks (L0, or 01 at L3) is a translation fault.
        let leafShift = leafShifts[level]
        guard leafShift != 0, (raw & Self.tableOrPage != 0) == isLast else { return .invalid }
        guard raw & Self.accessFlag != 0 else { return .accessFlagClear }
        return .leaf(physical: raw & Self.addressMask & ~((1 << leafShift) - 1), rights: leafRights(raw))
    }

    /// The rights of a block or page descriptor's AP, PXN and UXN bits.
    @inline(__always)
    private func leafRights(_ raw: UInt64) -> AccessRights {
        let readOnly = raw & Self.apReadOnly != 0
        let userAccess = raw & Self.apUser != 0
        var kernel: UInt8 = readOnly ? 0b001 : 0b011
        var user: UInt8 = userAccess ? kernel : 0
        if raw & Self.unprivilegedExecuteNever == 0 { user |= 0b100 }
        // EL0-writable pages are never executable at EL1 (implicit PXN).
        if raw & Self.privilegedExecuteNever == 0 && !(userAccess && !readOnly) { kernel |= 0b100 }
        return AccessRights(rawValue: kernel | user << 3)
    }

    @inline(__always)
    func nextTableAddress(_ raw: UInt64, level: Int, and: inout UInt64, or: inout UInt64) -> UInt64? {
        guard raw & 3 == 3, level != lastLevel else { return nil }
        or |= raw
        return raw & Self.addressMask
    }

    /// Branch-free: the leaf's rights from a 16-byte table indexed by AP[1] (EL0 access), AP[2]
    /// (read-only), PXN and UXN, the same rights ``decode(_:level:)`` gives (implicit PXN on
    /// EL0-writable pages included); the path's APTable, UXNTable and PXNTable bits only when
    /// some table pointer set one.
    @inline(__always)
    func effectiveRights(ofLeaf raw: UInt64, rights: AccessRights, and: UInt64, or: UInt64) -> AccessRights {
        let index = (raw &>> 6) & 3 | (raw &>> 51) & 0xC
        let table: UInt64 = index < 8 ? 0x2921_3B23_2D25_3B27 : 0x0901_1B03_0D05_1B07
        let leaf = AccessRights(rawValue: UInt8(truncatingIfNeeded: table &>> ((index & 7) &<< 3)))
        guard or & 0x7800_0000_0000_0000 != 0 else { return leaf }
        return leaf.intersection(pathRights(and: and, or: or))
    }

    @inline(__always)
    func pathRights(and: UInt64, or: UInt64) -> AccessRights {
        guard case .table(_, let allowed) = decode(or & 0x7800_0000_0000_0000 | 3, level: 0) else { return .all }
        return allowed
    }

    func attributes(ofLeaf raw: UInt64, level: Int) -> (MMUEntry.Attributes, CacheMode) {
        var attributes: MMUEntry.Attributes = []
        if raw & Self.accessFlag != 0 { attributes.insert(.accessed) }
        if raw & Self.softwareDirty != 0 { attributes.insert(.dirty) }
        if raw & Self.notGlobal == 0 { attributes.insert(.global) }
        let index = Int((raw >> 2) & 7)
        return (attributes, CacheMode(storedValue: index) ?? .uncached)
    }

    func rootRegisters(rootFrames: [UInt64]) -> [String: UInt64] {
        ["ttbr0_el1": rootFrames[0] << 12, "ttbr1_el1": rootFrames[1] << 12]
    }

    func rootFrames(from registers: [String: UInt64]) -> [UInt64]? {
        guard let low = registers["ttbr0_el1"], let high = registers["ttbr1_el1"] else { return nil }
        let base: UInt64 = 0x0000_FFFF_FFFF_F000
        guard low & 0xFFF == 0, high & 0xFFF == 0 else { return nil }
        return [(low & base) >> 12, (high & base) >> 12]
    }

    var controlRegisters: [String: UInt64] {
        let size = UInt64(64 - virtualBits)
        // T0SZ, IRGN0/ORGN0 = 01, SH0 = 11, TG0 = 00 (4K); T1SZ, IRGN1/ORGN1 = 01, SH1 = 11,
        // TG1 = 10 (4K); IPS = 101 (48 bits).
        let tcr: UInt64 = size | 1 << 8 | 1 << 10 | 3 << 12 | size << 16 | 1 << 24 | 1 << 26 | 3 << 28 | 2 << 30 | 5 << 32
        // SCTLR_EL1: M, C, I; WXN = 0.
        let sctlr: UInt64 = 1 << 0 | 1 << 2 | 1 << 12
        return ["tcr_el1": tcr, "mair_el1": Self.mairValue, "sctlr_el1": sctlr]
    }
}
