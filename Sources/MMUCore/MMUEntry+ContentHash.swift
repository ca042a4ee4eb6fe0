extension MMUEntry {
    /// A 64-bit hash of the versioned canonical fields (virtual page, frame, page size,
    /// protection, cache mode), stable across releases and platforms.
    ///
    /// A set's *content digest* is the wrapping sum of its entries' hashes, so it can be kept
    /// current in O(changes): add the hashes of entries that become live, subtract those that
    /// stop. The store records it with every commit; a file whose rows were changed behind its
    /// back (and still look valid to SQLite) no longer matches its digest. The global bit and
    /// the unversioned accessed/dirty bits are not hashed: global entries are summed in the
    /// global set's own digest.
    public var contentHash: UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15
        for field in [pageNumber, frameNumber, UInt64(size.shift), UInt64(protection.rawValue), UInt64(cacheMode.storedValue)] {
            hash = Self.mix(hash ^ (field &* 0xFF51_AFD7_ED55_8CCD))
        }
        return hash
    }

    /// The SplitMix64 finalizer.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Sequence where Element == MMUEntry {
    /// The wrapping sum of the entries' ``MMUEntry/contentHash``.
    ///
    /// - Complexity: O(*n*).
    public var contentDigest: UInt64 { reduce(0) { $0 &+ $1.contentHash } }
}

extension MemoryArea {
    /// A 64-bit hash of the area (pages, protection, kind, sharing, name), stable across
    /// releases; a set's content digest adds its areas' hashes to its entries'.
    public var contentHash: UInt64 {
        var nameHash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 { nameHash = (nameHash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let kindIndex = UInt64(Kind.allCases.firstIndex(of: kind) ?? 0)
        var hash: UInt64 = 0xA076_1D64_78BD_642F
        for field in [range.lowerPage, range.pageCount, UInt64(protection.rawValue), kindIndex, isShared ? 1 : 0, nameHash] {
            hash = MMUEntry.mix(hash ^ (field &* 0xC2B2_AE3D_27D4_EB4F))
        }
        return hash
    }
}

extension TranslationSet {
    /// The content digest the store records for this set: the wrapping sum of the hashes of
    /// its own (not global) entries and of its memory areas.
    ///
    /// - Complexity: O(*n*).
    public var contentDigest: UInt64 {
        entries.reduce(0) { $1.isGlobal ? $0 : $0 &+ $1.contentHash } &+ areas.reduce(0) { $0 &+ $1.contentHash }
    }
}
