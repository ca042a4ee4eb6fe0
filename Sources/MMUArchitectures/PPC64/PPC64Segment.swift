import MMUCore

/// PowerPC 256 MiB segments and the VSID scheme (HARDWARE-FORMATS.md §6 "Segmentation").
///
/// Every segment is 256 MiB (B = 00): ESID = EA >> 28. The VSID is Linux's scramble of the
/// proto-VSID with context 0: `vsid = (esid × 12538073) mod (2^37 − 1)`, a bijection on ESIDs
/// (36 bits) since the multiplier is prime to the modulus. The SLB entry of a segment gives
/// Ks = 0, Kp = 1, N = 0 and L‖LP = the segment's base page size (4 KiB 0, 64 KiB 0x110,
/// 16 MiB 0x100).
enum PPC64Segment {
    /// log2 of the segment size.
    static let shift: UInt64 = 28
    /// Linux's VSID multiplier for 256 MiB segments.
    static let multiplier: UInt64 = 12_538_073
    /// 2^37 − 1.
    static let modulus: UInt64 = (1 << 37) - 1

    /// The VSID of an ESID.
    @inline(__always)
    static func vsid(esid: UInt64) -> UInt64 { (esid &* multiplier) % modulus }
}

/// One hashed page table entry (HPTE): two big-endian doublewords, pre-ISA-3.0 layout
/// (HARDWARE-FORMATS.md §6 "HPTE").
///
/// Doubleword 0: B = 00 (256 MiB) | AVPN [61:7] = VA >> 23 (low bits cleared for 16 MiB pages) |
/// L bit 2 (64 KiB and 16 MiB) | H bit 1 (secondary hash) | V bit 0.
/// Doubleword 1: PP0 bit 63 | RPN [59:12] (with the LP code in the RPN bits below the page
/// size for large pages: 64 KiB = 1 in bits 15:12, 16 MiB = 0) | R bit 8 (always set) | C bit 7 (dirty) | WIMG [6:3]
/// (WB: M; WT: W|M; WC: I; UC: I|G) | N bit 2 (not executable) | PP [1:0].
/// Protection with Ks = 0, Kp = 1: user RW → PP 2, user RO → 3, kernel RW → 0, kernel RO → PP0|2.
enum PPC64HPTE {
    static let valid: UInt64 = 1 << 0
    static let secondary: UInt64 = 1 << 1
    static let large: UInt64 = 1 << 2
    static let referenced: UInt64 = 1 << 8
    static let changed: UInt64 = 1 << 7
    static let noExecute: UInt64 = 1 << 2
    static let guarded: UInt64 = 1 << 3
    static let rpnMask: UInt64 = 0x0FFF_FFFF_FFFF_F000
    static let compareMask: UInt64 = 0xFFFF_FFFF_FFFF_FF83

    /// Doubleword 0 for a page of `size` at effective address `ea` in the segment of `vsid`
    /// (AVPN = (VSID ‖ EA[27:0]) >> 23).
    @inline(__always)
    static func first(vsid: UInt64, effectiveAddress ea: UInt64, size: PageSize, secondary isSecondary: Bool) -> UInt64 {
        var avpn = vsid << 5 | (ea & 0x0FFF_FFFF) >> 23
        if size.shift > 23 { avpn &= ~((1 << (UInt64(size.shift) - 23)) - 1) }
        return avpn << 7 | (size.shift > 12 ? large : 0) | (isSecondary ? secondary : 0) | valid
    }

    /// The LP code of each large page size (L = 1), as Linux's POWER7+ encodings: written at
    /// bit ``largePageCodeShift`` of doubleword 1, in the RPN bits below the page size. The
    /// manifest records it (`largePage.SIZE`).
    @inline(__always)
    static func largePageCode(_ size: PageSize) -> UInt64? {
        switch size {
        case .size64KiB: 0x1
        case .size16MiB: 0x0
        default: nil
        }
    }
    /// The large page sizes, for ``largePageCode(_:)``'s table in the manifest.
    static let largePageSizes: [PageSize] = [.size64KiB, .size16MiB]
    /// The bit of doubleword 1 where an LP code starts (the RPN's lowest bit).
    static let largePageCodeShift: UInt64 = 12

    /// Doubleword 1 for an entry.
    static func second(_ entry: MMUEntry) -> UInt64 {
        var raw = entry.physicalAddress.rawValue & rpnMask | referenced
        if let code = largePageCode(entry.size) { raw |= code << largePageCodeShift }
        if entry.hasAttribute(CanonicalBits.dirty) { raw |= changed }
        let wimg: UInt64 =
            switch entry.cacheMode {
            case .writeBack: 0b0010
            case .writeThrough: 0b1010
            case .writeCombining: 0b0100
            case .uncached: 0b0101
            }
        raw |= wimg << 3
        if !entry.has(CanonicalBits.execute) || entry.cacheMode == .uncached { raw |= noExecute }
        switch (entry.has(CanonicalBits.user), entry.has(CanonicalBits.write)) {
        case (true, true): raw |= 2
        case (true, false): raw |= 3
        case (false, true): break
        case (false, false): raw |= 1 << 63 | 2
        }
        return raw
    }

    /// The page size doubleword 1 encodes with the L bit of doubleword 0: the LP code sits in
    /// the RPN bits below the page size (64 KiB: bits 15:12 = 0001; 16 MiB: bits 23:12 = 0).
    static func size(first: UInt64, second: UInt64) -> PageSize? {
        guard first & large != 0 else { return .size4KiB }
        if second >> 12 & 0xF == 1 { return .size64KiB }
        if second >> 12 & 0xFFF == 0 { return .size16MiB }
        return nil
    }

    /// The page shift the HPTE encodes (12, 16 or 24), as ``size(first:second:)`` without a
    /// page-size value: for walks.
    @inline(__always)
    static func sizeShift(first: UInt64, second: UInt64) -> UInt8? {
        guard first & large != 0 else { return 12 }
        if second >> 12 & 0xF == 1 { return 16 }
        if second >> 12 & 0xFFF == 0 { return 24 }
        return nil
    }

    /// Rights from PP0‖PP with Ks = 0 (kernel) and Kp = 1 (user), N and G.
    ///
    /// Kernel: PP 0, 1, 2 read-write, 3 and PP0‖2 read-only, else none; user: PP 2 read-write,
    /// 1 and 3 read-only, else none; either executes what it may read unless N or G is set. As
    /// a 16-byte table indexed by PP0‖PP and whether the page is executable.
    @inline(__always)
    static func rights(_ second: UInt64) -> AccessRights {
        let pp = (second &>> 63) &<< 2 | second & 3
        let executable: UInt64 = second & (noExecute | guarded) == 0 ? 8 : 0
        let index = pp | executable
        let table: UInt64 = index < 8 ? 0x0001_0000_091B_0B03 : 0x0005_0000_2D3F_2F07
        return AccessRights(rawValue: UInt8(truncatingIfNeeded: table &>> ((index & 7) &<< 3)))
    }

    /// The canonical cache mode of WIMG bits.
    static func cacheMode(_ second: UInt64) -> CacheMode {
        let wimg = second >> 3 & 0xF
        if wimg & 0b0100 != 0 { return wimg & 0b0001 != 0 ? .uncached : .writeCombining }
        return wimg & 0b1000 != 0 ? .writeThrough : .writeBack
    }
}
