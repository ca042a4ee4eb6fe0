import MMUCore

/// RISC-V Sv39/Sv48/Sv57 PTEs (HARDWARE-FORMATS.md §4 "PTE (8 bytes)" and "Rules").
///
/// Leaves: V | R, W, X (protection) | U (user) | G (global) | A = 1 | D (dirty) |
/// PPN in bits 53:10 | PBMT bits 62:61 (Svpbmt: 0 PMA for write-back, 1 NC for
/// write-combining, 2 IO for uncached). Non-leaf PTEs: V and the PPN only
/// (R = W = X = U = G = A = D = 0, PBMT = 0).
///
/// An empty value whose number of levels is its type parameter: every level-count test folds
/// away when the engine is compiled for one scheme.
struct RISCVEntryCodec<Scheme: RISCVPagingScheme>: RadixEntryCodec {
    /// The number of levels (3, 4 or 5).
    @inline(__always)
    var levelCount: Int { Scheme.levels }

    /// The index of the last level.
    @inline(__always)
    var lastLevel: Int { levelCount - 1 }

    /// The page shift of a leaf at each level (0 where leaves may not sit: 512 GiB and larger
    /// pages have no canonical size).
    @inline(__always)
    var leafShifts: PackedLevelBytes { PackedLevelBytes(raw: 0x0C_15_1E << UInt64(8 * (levelCount - 3))) }

    @inline(__always)
    var walkShape: RadixWalkShape { RadixWalkShape(topShift: UInt64(12 + 9 * lastLevel), topIndexMask: 511, step: 9) }

    static var valid: UInt64 { 1 << 0 }
    static var read: UInt64 { 1 << 1 }
    static var write: UInt64 { 1 << 2 }
    static var execute: UInt64 { 1 << 3 }
    static var user: UInt64 { 1 << 4 }
    static var global: UInt64 { 1 << 5 }
    static var accessed: UInt64 { 1 << 6 }
    static var dirty: UInt64 { 1 << 7 }
    static var ppnMask: UInt64 { ((1 << 44) - 1) << 10 }
    static var reservedMask: UInt64 { 0x7F << 54 }
    static var pbmtShift: UInt64 { 61 }
    static var napot: UInt64 { 1 << 63 }

    init() {}

    var layout: RadixLayout { Self.layout(levels: levelCount) }

    var hasFourByteEntries: Bool { false }

    /// The levels of Sv39, Sv48 or Sv57.
    private static func layout(levels: Int) -> RadixLayout {
        let level = RadixLayout.level
        return RadixLayout(
            generic: [
                level("VPN[4]", "pgd", 48, levels >= 5 ? 9 : 0, nil), level("VPN[3]", "p4d", 39, levels >= 4 ? 9 : 0, nil),
                level("VPN[2]", "pud", 30, 9, .size1GiB), level("VPN[1]", "pmd", 21, 9, .size2MiB),
                level("VPN[0]", "pte", 12, 9, .size4KiB),
            ], entryBytes: 8)
    }

    var tableAddressLimit: UInt64 { 1 << 56 }

    private var virtualBits: UInt64 { UInt64(12 + 9 * levelCount) }

    @inline(__always)
    func root(of address: UInt64) -> Int? {
        let top = address >> (virtualBits - 1)
        return top == 0 || top == UInt64.max >> (virtualBits - 1) ? 0 : nil
    }

    func virtualAddress(root: Int, indexBits: UInt64) -> UInt64 {
        indexBits & (1 << (virtualBits - 1)) != 0 ? indexBits | ~((1 << virtualBits) - 1) : indexBits
    }

    func leaf(_ entry: MMUEntry, level: Int) -> UInt64 {
        // A leaf needs R or X, and W needs R: add R as normalization says.
        var protection = entry.protection.rawValue
        if protection & CanonicalBits.read == 0 && (protection & CanonicalBits.write != 0 || protection & CanonicalBits.execute == 0) {
            protection |= CanonicalBits.read
        }
        // R, W, X and U are bits 1–4 of the PTE and bits 0–3 of the canonical protection.
        var raw = Self.valid | Self.accessed | UInt64(protection & 0xF) << 1
        if entry.hasAttribute(CanonicalBits.global) { raw |= Self.global }
        if entry.hasAttribute(CanonicalBits.dirty) { raw |= Self.dirty }
        switch entry.cacheMode {
        case .writeBack, .writeThrough: break
        case .writeCombining: raw |= 1 << Self.pbmtShift
        case .uncached: raw |= 2 << Self.pbmtShift
        }
        return raw | (entry.physicalAddress.rawValue >> 12) << 10
    }

    func table(frame: UInt64, level: Int) -> UInt64 { Self.valid | frame << 10 }

    @inline(__always)
    func decode(_ raw: UInt64, level: Int) -> RadixDescriptor {
        if level == lastLevel && Self.isWellFormedLeaf(raw) {
            return .leaf(physical: (raw & Self.ppnMask) &<< 2, rights: leafRights(raw))
        }
        guard raw & Self.valid != 0 else { return .invalid }
        guard raw & (Self.reservedMask | Self.napot) == 0 else { return .reserved }
        let pbmt = raw >> Self.pbmtShift & 3
        guard pbmt != 3 else { return .reserved }
        let frame = (raw & Self.ppnMask) >> 10
        let isLeaf = raw & (Self.read | Self.execute) != 0
        if level == lastLevel {
            // Only 4 KiB leaves: no table, no superpage alignment to check.
            guard isLeaf, raw & Self.read != 0 || raw & Self.write == 0 else { return .reserved }
            return .leaf(physical: frame << 12, rights: leafRights(raw))
        }
        guard isLeaf else {
            guard raw & Self.write == 0, pbmt == 0, level < lastLevel else { return .reserved }
            return .table(frame: frame, allowed: .all)
        }
        let leafShift = leafShifts[level]
        guard leafShift != 0 else { return .reserved }
        guard raw & Self.read != 0 || raw & Self.write == 0 else { return .reserved }
        // A superpage's PPN must be aligned to its size (misaligned superpage).
        guard frame & ((1 << (leafShift - 12)) - 1) == 0 else { return .reserved }
        return .leaf(physical: frame << 12, rights: leafRights(raw))
    }

    /// Whether `raw` is a valid leaf with no reserved encoding, in a few instructions: V set and
    /// bits 60:54 and N clear; PBMT not 3 (with N clear, adding 1 to PBMT carries into N only
    /// from 3); and R, W, X one of R, RW, X, RX, RWX (bits 1, 3, 4, 5, 7 of 0xBA). The full
    /// decode decides every other entry.
    @inline(__always)
    static func isWellFormedLeaf(_ raw: UInt64) -> Bool {
        raw & (valid | reservedMask | napot) == valid && (raw &+ 1 << pbmtShift) & napot == 0
            && (0xBA &>> (raw &>> 1 & 7)) & 1 != 0
    }

    /// The rights of a leaf's R, W, X and U bits.
    @inline(__always)
    private func leafRights(_ raw: UInt64) -> AccessRights {
        var rwx: UInt8 = 0
        if raw & Self.read != 0 { rwx |= 0b001 }
        if raw & Self.write != 0 { rwx |= 0b010 }
        if raw & Self.execute != 0 { rwx |= 0b100 }
        // sstatus.SUM = 1: S-mode reads and writes user pages but never executes them.
        let rights = raw & Self.user != 0 ? (rwx & 0b011) | rwx << 3 : rwx
        return AccessRights(rawValue: rights)
    }

    @inline(__always)
    func nextTableAddress(_ raw: UInt64, level: Int, and: inout UInt64, or: inout UInt64) -> UInt64? {
        let shape = Self.valid | Self.read | Self.write | Self.execute | Self.reservedMask | Self.napot | 3 << Self.pbmtShift
        guard raw & shape == Self.valid, level != lastLevel else { return nil }
        return (raw & Self.ppnMask) &<< 2
    }

    /// RISC-V has no hierarchical permissions.
    @inline(__always)
    func pathRights(and: UInt64, or: UInt64) -> AccessRights { .all }

    /// Branch-free: the rights ``decode(_:level:)`` gives a leaf, from a 16-byte table indexed
    /// by R, W, X and U (non-leaf PTEs restrict nothing).
    @inline(__always)
    func effectiveRights(ofLeaf raw: UInt64, rights: AccessRights, and: UInt64, or: UInt64) -> AccessRights {
        // Without U: the kernel's R, W, X. With U: the user's R, W, X and the kernel's R, W (SUM = 1).
        let index = (raw &>> 1) & 0xF
        let table: UInt64 = index < 8 ? 0x0706_0504_0302_0100 : 0x3B32_2920_1B12_0900
        return AccessRights(rawValue: UInt8(truncatingIfNeeded: table &>> ((index & 7) &<< 3)))
    }

    func attributes(ofLeaf raw: UInt64, level: Int) -> (MMUEntry.Attributes, CacheMode) {
        var attributes: MMUEntry.Attributes = []
        if raw & Self.accessed != 0 { attributes.insert(.accessed) }
        if raw & Self.dirty != 0 { attributes.insert(.dirty) }
        if raw & Self.global != 0 { attributes.insert(.global) }
        let mode: CacheMode =
            switch raw >> Self.pbmtShift & 3 {
            case 1: .writeCombining
            case 2: .uncached
            default: .writeBack
            }
        return (attributes, mode)
    }

    /// satp MODE: 8 Sv39, 9 Sv48, 10 Sv57.
    private var satpMode: UInt64 { UInt64(levelCount + 5) }

    func rootRegisters(rootFrames: [UInt64]) -> [String: UInt64] { ["satp": satpMode << 60 | rootFrames[0]] }

    func rootFrames(from registers: [String: UInt64]) -> [UInt64]? {
        guard let satp = registers["satp"], satp >> 60 == satpMode else { return nil }
        return [satp & ((1 << 44) - 1)]
    }

    var controlRegisters: [String: UInt64] { ["sstatus": 1 << 18] }  // SUM = 1, MXR = 0

    /// `sstatus` with MXR (bit 19) set: loads from execute-only pages succeed.
    static var makeExecutableReadable: UInt64 { 1 << 19 }

    /// Accepts any `sstatus` whose MXR is clear. SUM (bit 18) is ignored, as x86's SMAP is:
    /// it only decides whether S-mode loads and stores may touch U pages (Linux keeps it 0 outside
    /// its uaccess routines), and the walk gives the kernel the rights it has under SUM = 1, so
    /// user-mode results and the canonical entries are the same either way. The other bits (SIE,
    /// SPIE, SPP, FS, VS, XS, UXL, SD…) do not change translation. MXR = 1 would let loads read
    /// execute-only pages, which the canonical rights cannot say.
    ///
    /// - Throws: ``ImageError/missingRegister(_:)`` without `sstatus`,
    ///   ``ImageError/unsupportedRegisterValue(name:value:)`` with MXR set.
    func checkedControlRegisters(_ registers: [String: UInt64]) throws(ImageError) -> [CacheMode?]? {
        guard let status = registers["sstatus"] else { throw .missingRegister("sstatus") }
        guard status & Self.makeExecutableReadable == 0 else { throw .unsupportedRegisterValue(name: "sstatus", value: status) }
        return nil
    }
}
