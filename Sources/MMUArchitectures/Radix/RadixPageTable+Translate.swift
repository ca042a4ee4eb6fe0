import MMUCore

extension RadixPageTable {
    func translate(_ address: VirtualAddress, access: MemoryAccess, privilege: PrivilegeLevel) -> TranslationResult {
        let va = address.rawValue
        guard let root = codec.root(of: va) else { return .fault(TranslationFault(.nonCanonical, level: 0)) }
        let levels = codec.layout.levels
        var slot = rootSlots[root]
        var allowed = AccessRights.all
        for level in 0..<levels.count {
            let raw = readEntry(slot, levels[level].index(of: va))
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
                guard let next = store.slot(ofFrame: frame) else {
                    return .fault(TranslationFault(.notPresent, level: level + 1))
                }
                slot = next
            case .leaf(let physical, let rights):
                guard let size = levels[level].leafSize else { return .fault(TranslationFault(.reservedBits, level: level)) }
                let effective = rights.intersection(allowed)
                guard effective.allows(access, privilege) else {
                    return .fault(TranslationFault(.protection, level: level))
                }
                return .mapped(
                    Translation(
                        physicalAddress: PhysicalAddress(physical | (va & (size.byteCount - 1))), size: size,
                        rights: effective, level: level))
            }
        }
        return .fault(TranslationFault(.reservedBits, level: levels.count - 1))
    }
}
