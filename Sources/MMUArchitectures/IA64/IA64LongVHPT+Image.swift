import MMUCore

extension IA64LongVHPT {
    /// A stored record and the slot whose chain holds it.
    struct StoredRecord {
        var address: UInt64
        var slot: Int
        var words: (UInt64, UInt64, UInt64, UInt64)
    }

    /// Every record with a valid tag, slot by slot, following chains.
    ///
    /// - Throws: ``ImageError`` for a chain pointer outside the table pages, a misaligned one,
    ///   or a loop.
    func storedRecords() throws(ImageError) -> [StoredRecord] {
        var result: [StoredRecord] = []
        result.reserveCapacity(entryCount)
        var visited = Set<UInt64>()
        for index in 0..<slotCount {
            var current: UInt64? = slotAddress(index)
            var isHead = true
            while let address = current {
                guard address & 31 == 0, let tag = recordWord(address, 2), let pte = recordWord(address, 0),
                    let itir = recordWord(address, 1), let next = recordWord(address, 3)
                else {
                    throw .tablePointerOutsideTables(entryAddress: PhysicalAddress(address), target: PhysicalAddress(address))
                }
                if !isHead {
                    guard address >= tableBase + UInt64(tablePages) << 12 || address < tableBase else {
                        throw .tableLoop(PhysicalAddress(address))
                    }
                    guard visited.insert(address).inserted else { throw .tableLoop(PhysicalAddress(address)) }
                }
                if tag & Self.invalidTag == 0 { result.append(StoredRecord(address: address, slot: index, words: (pte, itir, tag, next))) }
                if next != 0, recordWord(next, 0) == nil {
                    throw .tablePointerOutsideTables(entryAddress: PhysicalAddress(address + 24), target: PhysicalAddress(next))
                }
                current = next == 0 ? nil : next
                isHead = false
            }
        }
        return result
    }

    /// The canonical entry of a stored record.
    ///
    /// - Throws: ``ImageError/malformedEntry(entryAddress:bits:)`` for a record whose tag names
    ///   an unknown region, whose size is not architected, which sits in the wrong slot, or
    ///   whose PTE is malformed.
    func canonicalEntry(_ record: StoredRecord) throws(ImageError) -> MMUEntry? {
        let (pteWord, itir, tag, _) = record.words
        let pte = IA64PageTableEntry(rawValue: pteWord)
        guard pte.isPresent else { return nil }
        let bad = ImageError.malformedEntry(entryAddress: PhysicalAddress(record.address), bits: pteWord)
        let (page, rid) = hashFunction.pageAndRegion(ofTag: tag)
        guard !pte.isMalformed, let region = (0..<8).first(where: { regionID($0) == rid }),
            let size = PageSize(shift: Int(itir >> 2 & 0x3F)), format.pageSizes.contains(size),
            size.shift >= regionShifts[region]
        else { throw bad }
        let offset = page << UInt64(regionShifts[region])
        guard offset >> IA64Regions.implementedBits == 0, offset & (size.byteCount - 1) == 0 else { throw bad }
        let (index, expectedTag) = slotAndTag(offset: offset, region: region, size: size)
        guard index == record.slot, expectedTag == tag else { throw bad }
        return pte.entry(at: IA64Regions.address(region: region, offset: offset), size: size)
    }

    /// The canonical entries, or the first problem found.
    func importedEntries() throws(ImageError) -> [MMUEntry] {
        var result: [MMUEntry] = []
        for record in try storedRecords() {
            if let entry = try canonicalEntry(record) { result.append(entry) }
        }
        return result.sorted { $0.virtualAddress < $1.virtualAddress }
    }

    func entries() throws(ImageError) -> [MMUEntry] { try importedEntries() }

    func encodedEntries() throws(ImageError) -> [EncodedEntry] {
        var result: [EncodedEntry] = []
        for record in try storedRecords() {
            guard let entry = try canonicalEntry(record) else { continue }
            result.append(EncodedEntry(virtualAddress: entry.virtualAddress, level: 0, bits: [record.words.0, record.words.1, record.words.2]))
        }
        return result.sorted()
    }

    var footprint: TableFootprint {
        get throws(ImageError) {
            var usedHeads = 0
            for index in 0..<slotCount where headWord(index, 2) & Self.invalidTag == 0 { usedHeads += 1 }
            let overflowPages = store.pageCount - tablePages
            var totalProbes = 0, maximum = 0
            for entry in try entries() {
                let probes = lookup(entry.virtualAddress.rawValue).probes
                totalProbes += probes
                maximum = max(maximum, probes)
            }
            return TableFootprint(
                levels: [
                    TableFootprint.Level(name: "hash", tablePages: tablePages, slots: slotCount, usedSlots: usedHeads),
                    TableFootprint.Level(
                        name: "overflow", tablePages: overflowPages, slots: overflowPages * Self.recordsPerPage,
                        usedSlots: entryCount - usedHeads),
                ], entries: entryCount, loadFactor: Double(entryCount) / Double(slotCount),
                averageProbes: entryCount == 0 ? 0 : Double(totalProbes) / Double(entryCount), maximumProbes: maximum)
        }
    }

    /// PTA: virtual base (region 7 identity) | vf = 1 | size | ve = 1.
    var pta: UInt64 {
        let sizeBits = UInt64((slotCount * 32).trailingZeroBitCount)
        return (0xE000_0000_0000_0000 | tableBase) | 1 << 8 | sizeBits << 2 | 1
    }

    func image() -> PageTableImage {
        var registers: [String: String] = [:]
        for region in 0..<8 {
            registers["rr\(region)"] = ImageManifest.hex(IA64Regions.regionRegister(region: region, pageShift: regionShifts[region]))
        }
        var parameters: [String: String] = [
            "hash": hashFunction.name, "implementedVirtualBits": String(IA64Regions.implementedBits),
            "hash.addressBits": "\(IA64Regions.implementedBits - 1):0", "hash.pageShift": "rr.ps",
            "largePages": "first-address",
            "link.offset": "24", "link.meaning": "physical-address", "link.end": "0x0",
            "vhptPhysicalBase": ImageManifest.hex(tableBase), "regionIDs": "rid = region number",
            "missHandler": "walker slot, then each page size the region maps: hash of the aligned address, chain via +24",
        ]
        parameters.merge(hashFunction.definition) { _, definition in definition }
        for region in 0..<8 {
            let shifts = (12..<64).filter { regionSizeMasks[region] >> UInt64($0) & 1 == 1 }
            parameters["rr\(region).pageShifts"] = shifts.map(String.init).joined(separator: ",")
        }
        let manifest = ImageManifest(
            format: format.name, root: ["pta": ImageManifest.hex(pta)], registers: registers,
            parameters: parameters,
            tablePages: store.liveSlots.map(\.frame).sorted().map { ImageManifest.hex($0 << 12) }, entries: entryCount,
            byteOrder: "little")
        return PageTableImage(manifest: manifest, store: store, isBigEndian: false)
    }

    /// A table over pages read from an image.
    ///
    /// - Throws: ``ImageError`` for a bad PTA or region register, an unknown hash function,
    ///   missing hash-table pages, or any malformed record or chain.
    static func importing(format: PageTableFormat, manifest: ImageManifest, store: FrameStore) throws(ImageError) -> IA64LongVHPT {
        let roots = try manifest.rootValues()
        let registers = try manifest.registerValues()
        guard let pta = roots["pta"] else { throw .missingRegister("pta") }
        let sizeBits = pta >> 2 & 0x3F
        guard pta & 1 == 1, pta >> 8 & 1 == 1, sizeBits >= 15, sizeBits <= 40, pta >> 61 == 7 else {
            throw .unsupportedRegisterValue(name: "pta", value: pta)
        }
        let base = pta & ((1 << 61) - 1) & ~0x7FFF
        guard base & ((1 << sizeBits) - 1) == 0 else { throw .unsupportedRegisterValue(name: "pta", value: pta) }
        guard let name = manifest.parameters["hash"] else { throw .missingRegister("hash") }
        guard let hash = VHPTHashFunction.known.first(where: { $0.name == name }) else {
            throw .malformedManifest("unknown VHPT hash function '\(name)'")
        }
        var shifts = [UInt8](repeating: defaultRegionShift, count: 8)
        for region in 0..<8 {
            guard let value = registers["rr\(region)"] else { throw .missingRegister("rr\(region)") }
            let shift = value >> 2 & 0x3F
            guard value >> 8 & 0xFF_FFFF == IA64Regions.regionID(region), shift >= 12, shift <= 32 else {
                throw .unsupportedRegisterValue(name: "rr\(region)", value: value)
            }
            shifts[region] = UInt8(shift)
        }
        let slots = Int(1 << (sizeBits - 5))
        // The hash table must be the image's lowest pages, contiguous; overflow pages follow.
        let tableFrames = (base >> 12)..<((base >> 12) + UInt64(slots / recordsPerPage))
        var reordered = FrameStore(primaryBase: base >> 12)
        for frame in tableFrames {
            guard let slot = store.slot(ofFrame: frame) else {
                throw .tablePointerOutsideTables(entryAddress: PhysicalAddress(0), target: PhysicalAddress(frame << 12))
            }
            let copy = reordered.append(frame: frame)
            for word in 0..<FrameStore.wordsPerPage { reordered[copy, word] = store[slot, word] }
        }
        for (slot, frame) in store.liveSlots where !tableFrames.contains(frame) {
            let copy = reordered.append(frame: frame)
            for word in 0..<FrameStore.wordsPerPage { reordered[copy, word] = store[slot, word] }
        }
        let table = IA64LongVHPT(
            format: format, hashFunction: hash, options: BuildOptions(vhptHash: hash), store: reordered, slotCount: slots,
            regionShifts: shifts, entryCount: 0, freeRecords: [], regionCounts: [Int](repeating: 0, count: 8), occupancy: nil)
        let records = try table.storedRecords()
        var used = Set<UInt64>()
        for record in records {
            if let entry = try table.canonicalEntry(record) {
                table.entryCount += 1
                table.regionCounts[Int(entry.virtualAddress.rawValue >> 61)] += 1
                table.countSize(entry.size, region: Int(entry.virtualAddress.rawValue >> 61), 1)
            }
            used.insert(record.address)
        }
        // Free overflow records: every record of the overflow pages not in a chain.
        for (_, frame) in table.store.liveSlots where !tableFrames.contains(frame) {
            for index in 0..<recordsPerPage {
                let address = frame << 12 + UInt64(index * 32)
                if !used.contains(address) && table.recordWord(address, 2).map({ $0 == 0 || $0 & Self.invalidTag != 0 }) == true {
                    table.freeRecords.append(address)
                }
            }
        }
        guard table.entryCount == manifest.entries else {
            throw .entryCountMismatch(manifest: manifest.entries, found: table.entryCount)
        }
        return table
    }
}
