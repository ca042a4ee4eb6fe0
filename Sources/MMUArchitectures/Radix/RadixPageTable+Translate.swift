import MMUCore

extension RadixPageTable {
    /// Walks the encoded table for `address` from its root, as the hardware does.
    ///
    /// Above the last level, table pointers take the codec's fast path
    /// (``RadixEntryCodec/nextTable(_:level:and:or:)``) and the next table is found by
    /// subtracting the primary run's base address; the entry that ends the walk (a leaf or a
    /// fault) goes through the codec's full decode. The level loop has a constant bound and
    /// constant shifts (the codec's), so the compiler unrolls it: a walk reads nothing but the
    /// table words.
    ///
    /// - Complexity: O(levels).
    @inline(__always)
    func translate(_ address: VirtualAddress, access: MemoryAccess, privilege: PrivilegeLevel) -> TranslationResult {
        let va = address.rawValue
        guard let root = codec.root(of: va) else { return .fault(TranslationFault(.nonCanonical, level: 0)) }
        let words = store.words
        // With a freed or moved primary page, every table goes through the store's lookup.
        let primaryStart = store.primaryBase &<< 12
        let primaryBytes = store.isPrimaryIntact ? UInt64(store.primaryCount) &<< 12 : 0
        let shape = codec.walkShape
        let lastLevel = codec.lastLevel
        var base = rootSlots[root] &* FrameStore.wordsPerPage
        var andBits = UInt64.max, orBits: UInt64 = 0
        var level = 0
        var raw = entry(words, base, Int(truncatingIfNeeded: (va &>> shape.topShift) & shape.topIndexMask))
        while level < lastLevel {
            guard let frame = codec.nextTable(raw, level: level, and: &andBits, or: &orBits) else { break }
            let offset = frame &<< 12 &- primaryStart
            if offset < primaryBytes {
                base = Int(truncatingIfNeeded: offset &>> 3)
            } else if let slot = slotOffPrimaryRun(ofFrame: frame) {
                base = slot &* FrameStore.wordsPerPage
            } else {
                // Memory outside the table pages reads as zero: the next level is not present.
                return .fault(TranslationFault(.notPresent, level: level &+ 1))
            }
            level &+= 1
            let shift = shape.topShift &- UInt64(truncatingIfNeeded: level) &* shape.step
            raw = entry(words, base, Int(truncatingIfNeeded: (va &>> shift) & shape.indexMask))
        }
        switch codec.decode(raw, level: level) {
        case .leaf(let physical, let rights):
            let effective = codec.effectiveRights(ofLeaf: raw, rights: rights, and: andBits, or: orBits)
            guard effective.allows(access, privilege) else { return .fault(TranslationFault(.protection, level: level)) }
            let size = leafSizes[level]
            let offset = va & ((1 &<< UInt64(truncatingIfNeeded: size.shift)) &- 1)
            return .mapped(
                Translation(physicalAddress: PhysicalAddress(physical | offset), size: size, rights: effective, level: level))
        case .invalid:
            return .fault(TranslationFault(.notPresent, level: level))
        case .accessFlagClear:
            return .fault(TranslationFault(.accessFlag, level: level))
        case .reserved:
            return .fault(TranslationFault(.reservedBits, level: level))
        case .table:
            // Unreachable: codecs take every table pointer through `nextTable` (its contract).
            assertionFailure("a table pointer the codec's fast path did not take")
            return .fault(TranslationFault(.reservedBits, level: level))
        }
    }

    /// Entry `index` of the table whose first word is `base`.
    @inline(__always)
    private func entry(_ words: [UInt64], _ base: Int, _ index: Int) -> UInt64 {
        guard codec.hasFourByteEntries else { return words[base &+ index] }
        let word = words[base &+ index &>> 1]
        return index & 1 == 0 ? word & 0xFFFF_FFFF : word &>> 32
    }

    /// The store's frame lookup, out of line: walks check the intact primary run themselves.
    @inline(never)
    private func slotOffPrimaryRun(ofFrame frame: UInt64) -> Int? { store.slot(ofFrame: frame) }
}
