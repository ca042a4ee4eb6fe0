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
