import MMUCore

extension RadixPageTable {
    func translate(_ address: VirtualAddress, access: MemoryAccess, privilege: PrivilegeLevel) -> TranslationResult {
        let va = address.rawValue
        guard let root = codec.root(of: va) else { return .fault(TranslationFault(.nonCanonical, level: 0)) }
        let start = rootSlots[root]
        return store.withWords { words in walk(va, from: start, words: words, access: access, privilege: privilege) }
    }

    /// The walk proper, over the table words without bounds checks.
    @inline(__always)
    private func walk(
        _ va: UInt64, from start: Int, words: UnsafeBufferPointer<UInt64>, access: MemoryAccess, privilege: PrivilegeLevel
    ) -> TranslationResult {
        var slot = start
        var allowed = AccessRights.all
        let primaryBase = store.primaryBase, primaryCount = UInt64(store.primaryCount), isIntact = store.isPrimaryIntact
        return levels.withUnsafeBufferPointer { levels in
        for level in 0..<levels.count {
            let index = levels[level].index(of: va)
            let raw: UInt64
            if hasFourByteEntries {
                let word = words[slot &* FrameStore.wordsPerPage &+ index >> 1]
                raw = index & 1 == 0 ? word & 0xFFFF_FFFF : word >> 32
            } else {
                raw = words[slot &* FrameStore.wordsPerPage &+ index]
            }
            switch codec.decode(raw, level: level) {
            case .invalid:
                return .fault(TranslationFault(.notPresent, level: level))
            case .reserved:
                return .fault(TranslationFault(.reservedBits, level: level))
            case .accessFlagClear:
                return .fault(TranslationFault(.accessFlag, level: level))
            case .table(let frame, let rights):
                allowed.formIntersection(rights)
                // Memory outside the table pages reads as zero: the next level is not present.
                let offset = frame &- primaryBase
                if offset < primaryCount && isIntact {
                    slot = Int(truncatingIfNeeded: offset)
                } else if let next = store.slot(ofFrame: frame) {
                    slot = next
                } else {
                    return .fault(TranslationFault(.notPresent, level: level + 1))
                }
            case .leaf(let physical, let rights):
                let leafShift = levels[level].leafShift
                guard let size = levels[level].leafSize else { return .fault(TranslationFault(.reservedBits, level: level)) }
                let effective = rights.intersection(allowed)
                guard effective.allows(access, privilege) else {
                    return .fault(TranslationFault(.protection, level: level))
                }
                let offsetMask = (UInt64(1) &<< UInt64(leafShift)) &- 1
                return .mapped(
                    Translation(
                        physicalAddress: PhysicalAddress(physical | (va & offsetMask)), size: size, rights: effective, level: level))
            }
        }
        return .fault(TranslationFault(.reservedBits, level: levels.count - 1))
        }
    }
}
