import MMUCore

extension RadixPageTable {
    /// A present entry met by a full walk.
    struct Visit {
        var level: Int
        var slot: Int
        var index: Int
        var virtualAddress: UInt64
        var raw: UInt64
        var descriptor: RadixDescriptor
        /// Rights the levels above leave.
        var allowed: AccessRights
    }

    /// Visits every present entry, depth first in address order; entries with reserved bits
    /// too unless `strict`.
    ///
    /// - Throws: ``ImageError`` for a pointer outside the table pages, a loop, a shared table,
    ///   or (when `strict`) a present entry with reserved bits.
    func walk(strict: Bool, _ visit: (Visit) -> Void) throws(ImageError) {
        var seen = [Bool](repeating: false, count: store.slotCount)
        for (root, slot) in rootSlots.enumerated() {
            seen[slot] = true
            try walkTable(slot, level: 0, root: root, prefix: 0, allowed: .all, strict: strict, seen: &seen, visit)
        }
    }

    private func entryAddress(_ slot: Int, _ index: Int) -> PhysicalAddress {
        PhysicalAddress(store.frame(ofSlot: slot) << 12 + UInt64(index * layout.entryBytes))
    }

    private func walkTable(
        _ slot: Int, level: Int, root: Int, prefix: UInt64, allowed: AccessRights, strict: Bool, seen: inout [Bool],
        _ visit: (Visit) -> Void
    ) throws(ImageError) {
        let levelInfo = layout.levels[level]
        for index in 0..<levelInfo.entryCount {
            let raw = readEntry(slot, index)
            let descriptor = codec.decode(raw, level: level)
            let bits = prefix | UInt64(index) << UInt64(levelInfo.shift)
            let address = codec.virtualAddress(root: root, indexBits: bits)
            switch descriptor {
            case .invalid:
                continue
            case .reserved:
                if strict { throw .malformedEntry(entryAddress: entryAddress(slot, index), bits: raw) }
                visit(Visit(level: level, slot: slot, index: index, virtualAddress: address, raw: raw, descriptor: descriptor, allowed: allowed))
            case .accessFlagClear, .leaf:
                visit(Visit(level: level, slot: slot, index: index, virtualAddress: address, raw: raw, descriptor: descriptor, allowed: allowed))
            case .table(let frame, let rights):
                visit(Visit(level: level, slot: slot, index: index, virtualAddress: address, raw: raw, descriptor: descriptor, allowed: allowed))
                guard let child = store.slot(ofFrame: frame) else {
                    throw .tablePointerOutsideTables(entryAddress: entryAddress(slot, index), target: PhysicalAddress(frame << 12))
                }
                guard !seen[child] else {
                    var ancestor = slot
                    while ancestor >= 0 {
                        if ancestor == child { throw .tableLoop(PhysicalAddress(frame << 12)) }
                        ancestor = ancestor < slotParent.count ? Int(slotParent[ancestor]) : -1
                    }
                    throw .sharedTable(PhysicalAddress(frame << 12))
                }
                seen[child] = true
                try walkTable(child, level: level + 1, root: root, prefix: bits, allowed: allowed.intersection(rights), strict: strict, seen: &seen, visit)
            }
        }
    }

    /// The canonical entry a leaf visit stands for, or `nil` for a non-leaf.
    ///
    /// - Throws: ``ImageError/unrepresentableMemoryType(virtualAddress:type:)`` for a leaf whose
    ///   memory type, under the imported registers, has no canonical cache mode.
    func canonicalEntry(_ visit: Visit) throws(ImageError) -> MMUEntry? {
        var raw = visit.raw
        if case .accessFlagClear = visit.descriptor { raw |= AArch64EntryCodec<AArch64FortyEightBit>.accessFlag }
        guard case .leaf(let physical, let rights) = codec.decode(raw, level: visit.level),
            let size = layout.levels[visit.level].leafSize
        else { return nil }
        var (attributes, cacheMode) = codec.attributes(ofLeaf: visit.raw, level: visit.level)
        if let modes = importedMemoryTypes {
            let index = codec.memoryTypeIndex(ofLeaf: visit.raw, level: visit.level)
            guard let mode = modes[index] else {
                throw .unrepresentableMemoryType(virtualAddress: VirtualAddress(visit.virtualAddress), type: "PAT index \(index)")
            }
            cacheMode = mode
        }
        return MMUEntry(
            VirtualAddress(visit.virtualAddress), to: PhysicalAddress(physical), size: size,
            protection: PageTableFormat.protection(from: rights.intersection(visit.allowed)), attributes: attributes,
            cacheMode: cacheMode)
    }

    /// The canonical entries, or the first structural problem.
    func importedEntries() throws(ImageError) -> [MMUEntry] {
        var result: [MMUEntry] = []
        result.reserveCapacity(entryCount)
        var failure: ImageError?
        try walk(strict: true) { visit in
            guard failure == nil else { return }
            do throws(ImageError) {
                if let entry = try canonicalEntry(visit) { result.append(entry) }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return result
    }

    func entries() throws(ImageError) -> [MMUEntry] { try importedEntries() }

    func encodedEntries() throws(ImageError) -> [EncodedEntry] {
        var result: [EncodedEntry] = []
        try walk(strict: false) { visit in
            let bits: UInt64 =
                if case .table = visit.descriptor { codec.clearingTableAddress(visit.raw, level: visit.level) } else { visit.raw }
            result.append(EncodedEntry(virtualAddress: VirtualAddress(visit.virtualAddress), level: visit.level, bits: [bits]))
        }
        return result
    }

    var footprint: TableFootprint {
        let levels = layout.levels
        var pages = [Int](repeating: 0, count: levels.count)
        var used = [Int](repeating: 0, count: levels.count)
        for slot in 0..<store.slotCount where store.isLive(slot) && slot < slotLevel.count && slotLevel[slot] >= 0 {
            pages[Int(slotLevel[slot])] += 1
            used[Int(slotLevel[slot])] += Int(slotUsed[slot])
        }
        let result = levels.indices.map { index in
            TableFootprint.Level(
                name: layout.names[index], tablePages: pages[index], slots: pages[index] * levels[index].entryCount,
                usedSlots: used[index])
        }
        return TableFootprint(levels: result, entries: entryCount)
    }
}
