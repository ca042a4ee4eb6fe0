import MMUCore

extension RadixPageTable {
    func translate(_ address: VirtualAddress, access: MemoryAccess, privilege: PrivilegeLevel) -> TranslationResult {
        let va = address.rawValue
        guard let root = codec.root(of: va) else { return .fault(TranslationFault(.nonCanonical, level: 0)) }
        return walk(va, from: rootSlots[root], access: access, privilege: privilege)
    }

    /// The walk proper: table pointers take the codec's fast path, everything else its full
    /// decode. (Plain array subscripts: closures over `self` would copy the whole table value.)
    @inline(__always)
    private func walk(_ va: UInt64, from start: Int, access: MemoryAccess, privilege: PrivilegeLevel) -> TranslationResult {
        let words = store.words
        var slot = start
        var allowed = AccessRights.all
        var andBits = UInt64.max, orBits: UInt64 = 0
        let primaryBase = store.primaryBase, primaryCount = UInt64(store.primaryCount), isIntact = store.isPrimaryIntact
        for level in 0..<levels.count {
            let index = levels[level].index(of: va)
            let raw: UInt64
            if hasFourByteEntries {
                let word = words[slot &* FrameStore.wordsPerPage &+ index &>> 1]
                raw = index & 1 == 0 ? word & 0xFFFF_FFFF : word &>> 32
            } else {
                raw = words[slot &* FrameStore.wordsPerPage &+ index]
            }
            let next: UInt64
            if let frame = codec.nextTable(raw, level: level, and: &andBits, or: &orBits) {
                next = frame
            } else {
                switch codec.decode(raw, level: level) {
                case .invalid:
                    return .fault(TranslationFault(.notPresent, level: level))
                case .reserved:
                    return .fault(TranslationFault(.reservedBits, level: level))
                case .accessFlagClear:
                    return .fault(TranslationFault(.accessFlag, level: level))
                case .table(let frame, let rights):
                    allowed.formIntersection(rights)
                    next = frame
                case .leaf(let physical, let rights):
                    guard let size = levels[level].leafSize else { return .fault(TranslationFault(.reservedBits, level: level)) }
                    let effective = rights.intersection(allowed).intersection(codec.pathRights(and: andBits, or: orBits))
                    guard effective.allows(access, privilege) else {
                        return .fault(TranslationFault(.protection, level: level))
                    }
                    let offsetMask = (UInt64(1) &<< UInt64(levels[level].leafShift)) &- 1
                    return .mapped(
                        Translation(
                            physicalAddress: PhysicalAddress(physical | (va & offsetMask)), size: size, rights: effective,
                            level: level))
                }
            }
            // Memory outside the table pages reads as zero: the next level is not present.
            let offset = next &- primaryBase
            if offset < primaryCount && isIntact {
                slot = Int(truncatingIfNeeded: offset)
            } else if let found = store.slot(ofFrame: next) {
                slot = found
            } else {
                return .fault(TranslationFault(.notPresent, level: level + 1))
            }
        }
        return .fault(TranslationFault(.reservedBits, level: levels.count - 1))
    }
}
