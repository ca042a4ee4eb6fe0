import MMUCore

extension PPC64HashedPageTable {
    /// A valid HPTE and the effective address it maps.
    struct StoredHPTE {
        var group: Int
        var slot: Int
        var first: UInt64
        var second: UInt64
        var effectiveAddress: UInt64
        var size: PageSize
    }

    /// Every valid HPTE with its effective address reconstructed from AVPN, H and the group.
    ///
    /// - Throws: ``ImageError/malformedEntry(entryAddress:bits:)`` for an HPTE whose VSID is in
    ///   no segment, whose size disagrees with its segment, or which sits in the wrong group.
    func storedHPTEs() throws(ImageError) -> [StoredHPTE] {
        var esids: [UInt64: UInt64] = [:]
        for esid in segments.keys { esids[PPC64Segment.vsid(esid: esid)] = esid }
        var result: [StoredHPTE] = []
        result.reserveCapacity(entryCount)
        let mask = UInt64(groupCount - 1)
        for group in 0..<groupCount {
            for slot in 0..<8 {
                let first = hpte(group, slot, 0)
                guard first & PPC64HPTE.valid != 0 else { continue }
                let second = hpte(group, slot, 1)
                let address = PhysicalAddress(tableBase + UInt64(group * 128 + slot * 16))
                let bad = ImageError.malformedEntry(entryAddress: address, bits: first)
                let avpn = first >> 7 & ((1 << 55) - 1)
                let vsid = avpn >> 5
                guard first >> 62 == 0, let esid = esids[vsid], let size = PPC64HPTE.size(first: first, second: second),
                    segments[esid] == size
                else { throw bad }
                let isSecondary = first & PPC64HPTE.secondary != 0
                let hash = isSecondary ? ~UInt64(group) & mask : UInt64(group)
                let shift = UInt64(size.shift)
                var ea = (avpn & 0x1F) << 23
                if shift < 23 { ea |= ((hash ^ vsid) & ((1 << (23 - shift)) - 1)) << shift }
                ea |= esid << PPC64Segment.shift
                let expected = PPC64HPTE.first(vsid: vsid, effectiveAddress: ea, size: size, secondary: isSecondary)
                let rehash = Self.hash(vsid: vsid, effectiveAddress: ea, size: size)
                guard (first ^ expected) & PPC64HPTE.compareMask == 0, Int((isSecondary ? ~rehash : rehash) & mask) == group,
                    ea & (size.byteCount - 1) == 0
                else { throw bad }
                result.append(StoredHPTE(group: group, slot: slot, first: first, second: second, effectiveAddress: ea, size: size))
            }
        }
        return result
    }

    /// The canonical entry of an HPTE.
    func canonicalEntry(_ stored: StoredHPTE) -> MMUEntry {
        var attributes: MMUEntry.Attributes = []
        if stored.second & PPC64HPTE.referenced != 0 { attributes.insert(.accessed) }
        if stored.second & PPC64HPTE.changed != 0 { attributes.insert(.dirty) }
        let physical = stored.second & PPC64HPTE.rpnMask & ~(stored.size.byteCount - 1)
        return MMUEntry(
            VirtualAddress(stored.effectiveAddress), to: PhysicalAddress(physical), size: stored.size,
            protection: PageTableFormat.protection(from: PPC64HPTE.rights(stored.second)), attributes: attributes,
            cacheMode: PPC64HPTE.cacheMode(stored.second))
    }

    /// The canonical entries, or the first malformed HPTE.
    func importedEntries() throws(ImageError) -> [MMUEntry] {
        try storedHPTEs().map(canonicalEntry).sorted { $0.virtualAddress < $1.virtualAddress }
    }

    func entries() throws(ImageError) -> [MMUEntry] { try importedEntries() }

    func encodedEntries() throws(ImageError) -> [EncodedEntry] {
        try storedHPTEs().map {
            EncodedEntry(
                virtualAddress: VirtualAddress($0.effectiveAddress), level: 0, bits: [$0.first & ~PPC64HPTE.secondary, $0.second])
        }.sorted()
    }

    var footprint: TableFootprint {
        get throws(ImageError) {
            var total = 0, maximum = 0
            let stored = try storedHPTEs()
            for item in stored {
                let probes = search(item.effectiveAddress, size: item.size).probes
                total += probes
                maximum = max(maximum, probes)
            }
            return TableFootprint(
                levels: [TableFootprint.Level(name: "HTAB", tablePages: tablePages, slots: groupCount * 8, usedSlots: entryCount)],
                entries: entryCount, loadFactor: Double(entryCount) / Double(groupCount * 8),
                averageProbes: stored.isEmpty ? 0 : Double(total) / Double(stored.count), maximumProbes: maximum)
        }
    }

    /// SDR1: HTABORG | HTABSIZE.
    var sdr1: UInt64 { tableBase | UInt64(groupCount.trailingZeroBitCount - 11) }

    func image() -> PageTableImage {
        let segmentList = segments.keys.sorted().map { esid in
            ImageManifest.Segment(
                esid: ImageManifest.hex(esid), vsid: ImageManifest.hex(PPC64Segment.vsid(esid: esid)),
                pageSize: Int(segments[esid]?.byteCount ?? 4096))
        }
        var parameters = [
            "segmentSize": "0x10000000", "vsidMultiplier": String(PPC64Segment.multiplier),
            "vsidModulus": ImageManifest.hex(PPC64Segment.modulus), "hptLayout": "pre-ISA-3.0",
            "hash": "power-isa-256M", "hash.bits": "39", "largePage.codeShift": String(PPC64HPTE.largePageCodeShift),
        ]
        for size in PPC64HPTE.largePageSizes {
            parameters["largePage.\(size.byteCount)"] = PPC64HPTE.largePageCode(size).map(ImageManifest.hex)
        }
        let manifest = ImageManifest(
            format: format.name, root: ["sdr1": ImageManifest.hex(sdr1)],
            registers: ["slb.ks": "0x0", "slb.kp": "0x1", "slb.n": "0x0"],
            parameters: parameters,
            tablePages: store.liveSlots.map(\.frame).sorted().map { ImageManifest.hex($0 << 12) }, entries: entryCount,
            byteOrder: "big", segments: segmentList)
        return PageTableImage(manifest: manifest, store: store, isBigEndian: true)
    }

    /// A table over pages read from an image.
    ///
    /// - Throws: ``ImageError`` for a bad SDR1, missing HTAB pages, a segment whose VSID does
    ///   not follow the scheme, or a malformed HPTE.
    static func importing(format: PageTableFormat, manifest: ImageManifest, store: FrameStore) throws(ImageError) -> PPC64HashedPageTable {
        let roots = try manifest.rootValues()
        guard let sdr1 = roots["sdr1"] else { throw .missingRegister("sdr1") }
        let sizeField = sdr1 & 0x1F
        let base = sdr1 & 0x0FFF_FFFF_FFFC_0000
        let groups = minimumGroups << Int(sizeField)
        guard sizeField <= 28, sdr1 & ~(0x0FFF_FFFF_FFFC_0000 | 0x1F) == 0, base & (UInt64(groups) * 128 - 1) == 0 else {
            throw .unsupportedRegisterValue(name: "sdr1", value: sdr1)
        }
        let registers = try manifest.registerValues()
        for (name, expected) in ["slb.ks": UInt64(0), "slb.kp": 1, "slb.n": 0] where registers[name] != expected {
            throw registers[name].map { .unsupportedRegisterValue(name: name, value: $0) } ?? .missingRegister(name)
        }
        guard let segmentList = manifest.segments else { throw .missingRegister("segments") }
        var segments: [UInt64: PageSize] = [:]
        for segment in segmentList {
            guard let esid = ImageManifest.value(segment.esid), let vsid = ImageManifest.value(segment.vsid),
                let size = PageSize(byteCount: UInt64(segment.pageSize)), format.pageSizes.contains(size)
            else { throw .malformedManifest("segment \(segment.esid) is malformed") }
            guard vsid == PPC64Segment.vsid(esid: esid) else { throw .unsupportedRegisterValue(name: "segment \(segment.esid) vsid", value: vsid) }
            segments[esid] = size
        }
        var ordered = FrameStore(primaryBase: base >> 12)
        for frame in (base >> 12)..<((base >> 12) + UInt64(groups / 32)) {
            guard let slot = store.slot(ofFrame: frame) else {
                throw .tablePointerOutsideTables(entryAddress: PhysicalAddress(0), target: PhysicalAddress(frame << 12))
            }
            let copy = ordered.append(frame: frame)
            for word in 0..<FrameStore.wordsPerPage { ordered[copy, word] = store[slot, word] }
        }
        let table = PPC64HashedPageTable(
            format: format, options: BuildOptions(), store: ordered, groupCount: groups, segments: segments,
            segmentCounts: [:], entryCount: 0, occupancy: nil)
        let stored = try table.storedHPTEs()
        for item in stored { table.segmentCounts[item.effectiveAddress >> PPC64Segment.shift, default: 0] += 1 }
        table.entryCount = stored.count
        guard table.entryCount == manifest.entries else {
            throw .entryCountMismatch(manifest: manifest.entries, found: table.entryCount)
        }
        return table
    }
}
