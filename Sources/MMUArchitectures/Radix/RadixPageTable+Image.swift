import MMUCore

extension RadixPageTable {
    func image() -> PageTableImage {
        let pages = store.liveSlots.map(\.frame).sorted().map { ImageManifest.hex($0 << 12) }
        let manifest = ImageManifest(
            format: format.name, root: codec.rootRegisters(rootFrames: rootFrames).mapValues(ImageManifest.hex),
            registers: codec.controlRegisters.mapValues(ImageManifest.hex), parameters: [:], tablePages: pages,
            entries: entryCount, byteOrder: "little")
        return PageTableImage(manifest: manifest, store: store, isBigEndian: false)
    }

    /// A table over pages read from an image, with its bookkeeping rebuilt by a full walk.
    ///
    /// - Throws: ``ImageError`` for missing or unsupported registers, a root outside the
    ///   pages, or any structural problem the walk finds.
    static func importing(codec: Codec, format: PageTableFormat, manifest: ImageManifest, store: FrameStore) throws(ImageError) -> RadixPageTable {
        let roots = try manifest.rootValues()
        let registers = try manifest.registerValues()
        let memoryTypes = try codec.checkedControlRegisters(registers)
        guard let rootFrames = codec.rootFrames(from: roots) else {
            let name = codec.rootRegisters(rootFrames: [0, 0]).keys.sorted().first { roots[$0] != nil } ?? ""
            if let value = roots[name] { throw .unsupportedRegisterValue(name: name, value: value) }
            throw .missingRegister(codec.rootRegisters(rootFrames: [0, 0]).keys.sorted().joined(separator: ", "))
        }
        let table = RadixPageTable(codec: codec, format: format, store: store, options: BuildOptions())
        table.importedMemoryTypes = memoryTypes
        for (index, frame) in rootFrames.enumerated() {
            guard let slot = store.slot(ofFrame: frame) else {
                throw .tablePointerOutsideTables(entryAddress: PhysicalAddress(0), target: PhysicalAddress(frame << 12))
            }
            guard !table.rootSlots.contains(slot) else { throw .sharedTable(PhysicalAddress(frame << 12)) }
            table.rootSlots.append(slot)
            _ = index
        }
        for slot in 0..<store.slotCount { table.adopt(slot, level: -1, parent: -1, index: -1) }
        for slot in table.rootSlots { table.slotLevel[slot] = 0 }
        // Rebuild levels, parents and counts from one walk; it also rejects loops, shared tables,
        // pointers outside the pages and malformed entries.
        var parents: [(child: Int, level: Int, parent: Int, index: Int)] = []
        var leaves = 0
        var used = [Int32](repeating: 0, count: store.slotCount)
        try table.walk(strict: true) { visit in
            used[visit.slot] += 1
            if case .table(let frame, _) = visit.descriptor, let child = table.store.slot(ofFrame: frame) {
                parents.append((child, visit.level + 1, visit.slot, visit.index))
            } else {
                leaves += 1
            }
        }
        for (child, level, parent, index) in parents {
            table.slotLevel[child] = Int8(level)
            table.slotParent[child] = Int32(parent)
            table.slotParentIndex[child] = Int32(index)
        }
        for slot in 0..<store.slotCount { table.slotUsed[slot] = used[slot] }
        // Pages no pointer reaches are dropped.
        for slot in 0..<store.slotCount where table.slotLevel[slot] < 0 { table.store.free(slot: slot) }
        table.countEntries(leaves)
        guard leaves == manifest.entries else { throw .entryCountMismatch(manifest: manifest.entries, found: leaves) }
        return table
    }
}
