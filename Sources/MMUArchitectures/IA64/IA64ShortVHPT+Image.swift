import MMUCore

extension IA64ShortVHPT {
    /// The canonical entries, or the first malformed PTE.
    func importedEntries() throws(ImageError) -> [MMUEntry] {
        try presentEntries().compactMap { item -> MMUEntry? in
            let region = Int(item.address >> 61)
            guard let size = PageSize(shift: Int(regionShifts[region])) else { return nil }
            return IA64PageTableEntry(rawValue: item.pte).entry(at: item.address, size: size)
        }
    }

    func entries() throws(ImageError) -> [MMUEntry] { try importedEntries() }

    func encodedEntries() throws(ImageError) -> [EncodedEntry] {
        try presentEntries().map { EncodedEntry(virtualAddress: VirtualAddress($0.address), level: 0, bits: [$0.pte]) }
    }

    var footprint: TableFootprint {
        TableFootprint(
            levels: [
                TableFootprint.Level(
                    name: "linear", tablePages: pages.count, slots: pages.count * FrameStore.wordsPerPage, usedSlots: entryCount)
            ], entries: entryCount, loadFactor: pages.count == 0 ? 0 : Double(entryCount) / Double(pages.count * 512),
            averageProbes: entryCount == 0 ? 0 : 1, maximumProbes: entryCount == 0 ? 0 : 1)
    }

    /// PTA: base (top 2^42 of each region) | size 42 | vf = 0 | ve = 1.
    static var pta: UInt64 { windowBase | windowBits << 2 | 1 }

    func image() -> PageTableImage {
        var registers: [String: String] = [:]
        for region in 0..<8 {
            registers["rr\(region)"] = ImageManifest.hex(IA64Regions.regionRegister(region: region, pageShift: regionShifts[region]))
        }
        let mappings = pages.pairs.sorted { $0.key < $1.key }.map { page, slot in
            ImageManifest.TableMapping(virtual: ImageManifest.hex(page << 12), physical: ImageManifest.hex(store.frame(ofSlot: slot) << 12))
        }
        let manifest = ImageManifest(
            format: format.name, root: ["pta": ImageManifest.hex(Self.pta)], registers: registers,
            parameters: [
                "implementedVirtualBits": String(IA64Regions.implementedBits), "regionIDs": "rid = region number",
                "hash.addressBits": "\(IA64Regions.implementedBits - 1):0", "hash.pageShift": "rr.ps",
            ],
            tablePages: store.liveSlots.map(\.frame).sorted().map { ImageManifest.hex($0 << 12) }, entries: entryCount,
            byteOrder: "little", tableMappings: mappings)
        return PageTableImage(manifest: manifest, store: store, isBigEndian: false)
    }

    /// A table over pages read from an image.
    ///
    /// - Throws: ``ImageError`` for a bad PTA or region register, a table mapping outside the
    ///   window or onto a page that is not a table page, or a malformed PTE.
    static func importing(format: PageTableFormat, manifest: ImageManifest, store: FrameStore) throws(ImageError) -> IA64ShortVHPT {
        let roots = try manifest.rootValues()
        let registers = try manifest.registerValues()
        guard let pta = roots["pta"] else { throw .missingRegister("pta") }
        guard pta == Self.pta else { throw .unsupportedRegisterValue(name: "pta", value: pta) }
        var shifts = [UInt8](repeating: defaultRegionShift, count: 8)
        for region in 0..<8 {
            guard let value = registers["rr\(region)"] else { throw .missingRegister("rr\(region)") }
            let shift = value >> 2 & 0x3F
            guard value >> 8 & 0xFF_FFFF == IA64Regions.regionID(region), let size = PageSize(shift: Int(shift)),
                format.pageSizes.contains(size)
            else { throw .unsupportedRegisterValue(name: "rr\(region)", value: value) }
            shifts[region] = UInt8(shift)
        }
        guard let mappings = manifest.tableMappings else { throw .missingRegister("tableMappings") }
        let table = IA64ShortVHPT(
            format: format, options: BuildOptions(), store: store, regionShifts: shifts,
            regionCounts: [Int](repeating: 0, count: 8), pages: IntegerMap(), entryCount: 0, occupancy: nil)
        for mapping in mappings {
            guard let virtual = ImageManifest.value(mapping.virtual), let physical = ImageManifest.value(mapping.physical) else {
                throw .malformedManifest("table mapping \(mapping.virtual) -> \(mapping.physical) is not numeric")
            }
            guard virtual & 0xFFF == 0, virtual & ((1 << 61) - 1) >= windowBase else {
                throw .malformedManifest("table mapping \(mapping.virtual) is not a page of the VHPT window")
            }
            guard physical & 0xFFF == 0, let slot = store.slot(ofFrame: physical >> 12) else {
                throw .tablePointerOutsideTables(entryAddress: PhysicalAddress(0), target: PhysicalAddress(physical))
            }
            guard virtual >> 12 != UInt64.max >> 12, table.pages[virtual >> 12] == nil else {
                throw .malformedManifest("table mapping \(mapping.virtual) listed twice")
            }
            table.pages[virtual >> 12] = slot
        }
        if Set(table.pages.pairs.map(\.value)).count != table.pages.count {
            throw .sharedTable(PhysicalAddress(0))
        }
        let present = try table.presentEntries()
        for item in present { table.regionCounts[Int(item.address >> 61)] += 1 }
        table.entryCount = present.count
        guard table.entryCount == manifest.entries else {
            throw .entryCountMismatch(manifest: manifest.entries, found: table.entryCount)
        }
        return table
    }
}
