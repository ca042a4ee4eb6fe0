import MMUCore

extension PhysicalMemoryDump {
    /// Walks the x86-64 page tables at the request's (or the dump's) CR3: 4-level, or 5-level
    /// when CR4.LA57 is set.
    ///
    /// Table pages are read one at a time from the file, so memory grows with the entries
    /// found, not with the dump. A table shared by several entries at one level is walked under
    /// each; a table reached at another level (a loop or a self-map) is not walked again and is
    /// reported, so every walk ends. Rights are the effective ones through all levels (R/W and
    /// U/S ANDed, XD ORed), memory types are read through the PAT, and A, D and G are kept.
    ///
    /// - Parameters:
    ///   - request: The root, registers and selection.
    ///   - progress: Called now and then with the table pages read and the translations found.
    /// - Returns: The translations and what could not be stored (``DumpWalk/findings``).
    /// - Throws: ``DumpError``: processors disagreeing without a choice, a register the walk
    ///   cannot model, a root outside the dump's memory (``DumpError/Stage/registers``); more
    ///   translations than ``DumpWalkRequest/translationLimit``, more table pages read than
    ///   ``DumpWalkRequest/tableReadLimit``, or a read error
    ///   (``DumpError/Stage/walk``).
    /// - Complexity: O(table pages visited · 512).
    public func walkX86(_ request: DumpWalkRequest, progress: ((_ tables: Int, _ translations: Int) -> Void)? = nil) throws(DumpError) -> DumpWalk {
        let processor = try chosenProcessor(request)
        var assumed: [String] = []
        func register(_ name: String, _ given: UInt64?, _ recorded: UInt64?, _ assumption: UInt64) -> UInt64 {
            if let value = given ?? recorded { return value }
            assumed.append(name)
            return assumption
        }
        guard let cr3 = request.root ?? processor?.cr3 else {
            throw DumpError(.registers, "\(kind == .raw ? "a raw image records no registers" : "the dump has no QEMU CPU note"): give the root (CR3)")
        }
        let registers = [
            "cr3": cr3,
            "cr0": register("cr0", request.cr0, processor?.cr0, DumpWalkRequest.assumedCR0),
            "cr4": register("cr4", request.cr4, processor?.cr4, DumpWalkRequest.assumedCR4),
            "efer": register("efer", request.efer, nil, DumpWalkRequest.assumedEFER),
            "pat": register("pat", request.pat, nil, DumpWalkRequest.assumedPAT),
        ]
        let fiveLevel = (registers["cr4"] ?? 0) & X86ControlRegisters.fiveLevelPaging != 0
        var walk: DumpWalk
        if fiveLevel {
            var walker = try X86DumpWalker<X86FiveLevelPaging>(dump: self, request: request, registers: registers, progress: progress)
            walk = try walker.run()
        } else {
            var walker = try X86DumpWalker<X86FourLevelPaging>(dump: self, request: request, registers: registers, progress: progress)
            walk = try walker.run()
        }
        walk.assumedRegisters = assumed
        return walk
    }

    /// The processor whose registers the request means.
    private func chosenProcessor(_ request: DumpWalkRequest) throws(DumpError) -> ProcessorState? {
        if let index = request.processor {
            guard processors.indices.contains(index) else {
                throw DumpError(.registers, "processor \(index) is not in the dump, which records \(processors.count)")
            }
            return processors[index]
        }
        guard let first = processors.first else { return nil }
        let distinct = Set(processors)
        guard distinct.count == 1 else {
            let roots = processors.enumerated().map { "\($0.offset): CR3 0x\(String($0.element.cr3, radix: 16))" }.joined(separator: ", ")
            throw DumpError(.registers, "the dump records \(processors.count) processors with different registers (\(roots)): choose one with --cpu N")
        }
        return first
    }
}

/// The state of one walk of x86-64 tables of one paging mode.
struct X86DumpWalker<Paging: X86Paging> {
    let dump: PhysicalMemoryDump
    let codec = X86EntryCodec<Paging>()
    let levels: [RadixLevel]
    let rootFrame: UInt64
    let cacheModes: [CacheMode?]
    let selection: ClosedRange<UInt64>
    let limit: Int
    let tableReadLimit: Int
    let registers: [String: UInt64]
    let progress: ((Int, Int) -> Void)?
    var entries: [MMUEntry] = []
    var leafWords: [UInt64] = []
    var findings: [DumpWalk.Kind: DumpWalk.Finding] = [:]
    /// The level each table page was first reached at.
    var levelOfTable: [UInt64: Int] = [:]
    /// One page buffer per level.
    var buffers: [[UInt64]]
    var tablesRead = 0

    init(dump: PhysicalMemoryDump, request: DumpWalkRequest, registers: [String: UInt64], progress: ((Int, Int) -> Void)?) throws(DumpError) {
        self.dump = dump
        self.registers = registers
        self.progress = progress
        levels = codec.layout.levels
        buffers = Array(repeating: [UInt64](repeating: 0, count: 512), count: levels.count)
        limit = request.translationLimit
        tableReadLimit = request.tableReadLimit
        do {
            cacheModes = try X86ControlRegisters(checking: registers, mode: codec.mode, allowingUserKeys: true).cacheModes
        } catch {
            throw DumpError(.registers, "\(error)")
        }
        let cr3 = registers["cr3"] ?? 0
        guard let frames = codec.rootFrames(from: ["cr3": cr3]), let frame = frames.first else {
            throw DumpError(.registers, "CR3 0x\(String(cr3, radix: 16)) has reserved bits 63:52 set")
        }
        rootFrame = frame
        // The canonical halves: bit 47 (or 56) and above all equal.
        let hole: UInt64 = codec.mode == .fiveLevel ? 1 << 56 : 1 << 47
        var selection: ClosedRange<UInt64> =
            switch request.half {
            case .user: 0...(hole - 1)
            case .kernel: (0 &- hole)...UInt64.max
            case nil: 0...UInt64.max
            }
        if let addresses = request.addresses {
            guard addresses.overlaps(selection) else {
                throw DumpError(.registers, "the address range 0x\(String(addresses.lowerBound, radix: 16))-0x\(String(addresses.upperBound, radix: 16)) lies outside the \(request.half?.rawValue ?? "") half")
            }
            selection = selection.clamped(to: addresses)
        }
        self.selection = selection
    }

    mutating func run() throws(DumpError) -> DumpWalk {
        levelOfTable[rootFrame] = 0
        guard try dump.readFrame(rootFrame, into: &buffers[0]) else {
            let regions = dump.regions.map { "0x\(String($0.physicalAddress, radix: 16))-0x\(String($0.physicalAddress + $0.byteCount, radix: 16))" }
            throw DumpError(
                .registers,
                "the root table at 0x\(String(rootFrame << 12, radix: 16)) (CR3) lies outside the dump's memory (\(regions.prefix(8).joined(separator: ", "))\(regions.count > 8 ? ", …" : ""))")
        }
        tablesRead = 1
        try walkTable(level: 0, prefix: 0, and: ~0, or: 0)
        progress?(tablesRead, entries.count)
        guard let format = PageTableFormat(named: codec.mode == .fiveLevel ? "x86_64-5level" : "x86_64-4level") else {
            throw DumpError(.walk, "the x86-64 formats are missing from the catalog")
        }
        return DumpWalk(
            format: format, entries: entries, leafWords: leafWords, registers: registers, assumedRegisters: [], tablesRead: tablesRead,
            findings: DumpWalk.Kind.allCases.compactMap { findings[$0] })
    }

    mutating func note(_ kind: DumpWalk.Kind, _ address: UInt64, _ detail: String) {
        var finding = findings[kind] ?? DumpWalk.Finding(kind: kind, count: 0, examples: [])
        finding.count += 1
        if finding.examples.count < DumpWalk.exampleLimit { finding.examples.append("0x\(String(address, radix: 16)): \(detail)") }
        findings[kind] = finding
    }

    /// Walks the table in `buffers[level]`; `and` and `or` fold the restriction bits of the
    /// entries above.
    mutating func walkTable(level: Int, prefix: UInt64, and: UInt64, or: UInt64) throws(DumpError) {
        let shift = UInt64(levels[level].shift)
        let span: UInt64 = 1 << shift
        for index in 0..<levels[level].entryCount {
            let raw = buffers[level][index]
            guard raw & 1 != 0 else { continue }
            let bits = prefix | UInt64(index) << shift
            let address = codec.virtualAddress(root: 0, indexBits: bits)
            guard address <= selection.upperBound, address &+ (span - 1) >= selection.lowerBound else { continue }
            var pathAnd = and, pathOr = or
            if let next = codec.nextTableAddress(raw, level: level, and: &pathAnd, or: &pathOr) {
                let frame = next >> 12
                if let seen = levelOfTable[frame], seen != level + 1 {
                    note(.tableAtTwoLevels, address, "entry 0x\(String(raw, radix: 16)) points at the level-\(seen) table 0x\(String(next, radix: 16)) as a level-\(level + 1) table")
                    continue
                }
                levelOfTable[frame] = level + 1
                guard tablesRead < tableReadLimit else {
                    throw DumpError(.walk, "more than \(tableReadLimit) table pages read: tables shared over and over (narrow the walk with --half or --from/--to)")
                }
                guard try dump.readFrame(frame, into: &buffers[level + 1]) else {
                    note(.tableOutsideMemory, address, "entry 0x\(String(raw, radix: 16)) points at 0x\(String(next, radix: 16))")
                    continue
                }
                tablesRead += 1
                if tablesRead & 255 == 0 { progress?(tablesRead, entries.count) }
                try walkTable(level: level + 1, prefix: bits, and: pathAnd, or: pathOr)
                continue
            }
            switch codec.decode(raw, level: level) {
            case .leaf(let physical, let rights):
                try leaf(raw, level: level, address: address, physical: physical, rights: rights, and: and, or: or)
            case .reserved, .table, .invalid, .accessFlagClear:
                note(.reservedBits, address, "entry 0x\(String(raw, radix: 16)) at level \(level)")
            }
        }
    }

    mutating func leaf(_ raw: UInt64, level: Int, address: UInt64, physical: UInt64, rights: AccessRights, and: UInt64, or: UInt64) throws(DumpError) {
        guard let size = levels[level].leafSize else {
            note(.reservedBits, address, "leaf 0x\(String(raw, radix: 16)) at level \(level)")
            return
        }
        let typeIndex = codec.memoryTypeIndex(ofLeaf: raw, level: level)
        guard let cacheMode = cacheModes[typeIndex] else {
            let type = ((registers["pat"] ?? 0) >> UInt64(typeIndex * 8)) & 0xFF
            note(.memoryType, address, "PAT index \(typeIndex) is \(X86ControlRegisters.memoryTypeName(type))")
            return
        }
        let effective = codec.effectiveRights(ofLeaf: raw, rights: rights, and: and, or: or)
        if effective != rights { note(.restrictedByUpperLevels, address, "leaf 0x\(String(raw, radix: 16))") }
        if raw & (0xE00 | 0x7F << 52) != 0 { note(.softwareBits, address, "leaf 0x\(String(raw, radix: 16))") }
        if raw & (0xF << 59) != 0 { note(.protectionKey, address, "key \((raw >> 59) & 0xF), leaf 0x\(String(raw, radix: 16))") }
        if dump.region(holding: physical >> 12) == nil { note(.frameOutsideMemory, address, "frame 0x\(String(physical, radix: 16))") }
        guard entries.count < limit else {
            throw DumpError(.walk, "more than \(limit) translations: the tables map more than the walk keeps in memory (narrow it with --half or --from/--to)")
        }
        let (attributes, _) = codec.attributes(ofLeaf: raw, level: level)
        leafWords.append(raw)
        entries.append(
            MMUEntry(
                VirtualAddress(address), to: PhysicalAddress(physical), size: size,
                protection: PageTableFormat.protection(from: effective), attributes: attributes, cacheMode: cacheMode))
    }
}
