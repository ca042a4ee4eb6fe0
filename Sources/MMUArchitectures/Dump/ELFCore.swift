import MMUCore

/// The parts of an x86-64 ELF core that a page-table walk needs: the guest-physical memory of
/// the `PT_LOAD` segments (at `p_paddr`) and the processors' control registers from QEMU's
/// "QEMU" notes.
///
/// Everything is checked before use: the identification (64-bit, little-endian, `ET_CORE`,
/// `EM_X86_64`), the program header table and every segment against the file's length, segments
/// overlapping in physical memory, note sizes, and the QEMU CPU state's version and size fields.
struct ELFCore {
    /// The physical memory, ascending.
    var regions: [PhysicalMemoryDump.Region]
    /// One state per QEMU CPU note, in note order.
    var processors: [ProcessorState]

    /// The most program headers accepted (QEMU writes one per RAM block and a note).
    static let programHeaderLimit = 1 << 16
    /// The most bytes of notes read (QEMU writes about 800 per processor).
    static let noteLimit: UInt64 = 16 << 20
    /// Where `cr[5]` starts in QEMU's `QEMUCPUState` (version 1): after version and size, 18
    /// general registers and 10 segments of 24 bytes.
    static let controlRegistersOffset = 392

    init(reading file: RegularFile) throws(DumpError) {
        let header = try Self.bytes(file, 64, at: 0, .header, "the ELF header")
        guard header[4] == 2 else { throw DumpError(.header, "ELF class \(header[4]) is not 64-bit (2)") }
        guard header[5] == 1 else { throw DumpError(.header, "ELF data encoding \(header[5]) is not little-endian (1)") }
        let type = header.integer(UInt16.self, at: 16), machine = header.integer(UInt16.self, at: 18)
        guard type == 4 else { throw DumpError(.header, "ELF type \(type) is not a core file (ET_CORE, 4)") }
        guard machine == 62 else { throw DumpError(.header, "ELF machine \(machine) is not x86-64 (EM_X86_64, 62)") }
        let tableOffset = header.integer(UInt64.self, at: 32)
        let entrySize = header.integer(UInt16.self, at: 54)
        var count = Int(header.integer(UInt16.self, at: 56))
        guard entrySize == 56 else { throw DumpError(.header, "program header size \(entrySize) is not 56") }
        if count == 0xFFFF {
            // PN_XNUM: the real count is sh_info of section header 0.
            let sectionOffset = header.integer(UInt64.self, at: 40)
            let section = try Self.bytes(file, 64, at: sectionOffset, .header, "section header 0 (PN_XNUM)")
            count = Int(section.integer(UInt32.self, at: 44))
        }
        guard count > 0, count <= Self.programHeaderLimit else {
            throw DumpError(.header, "\(count) program headers (1 to \(Self.programHeaderLimit) accepted)")
        }
        let table = try Self.bytes(file, count * 56, at: tableOffset, .header, "the program header table (\(count) entries at \(tableOffset))")
        var regions: [PhysicalMemoryDump.Region] = []
        var notes: [(offset: UInt64, size: UInt64)] = []
        for index in 0..<count {
            let base = index * 56
            let kind = table.integer(UInt32.self, at: base)
            let offset = table.integer(UInt64.self, at: base + 8)
            let physical = table.integer(UInt64.self, at: base + 24)
            let fileSize = table.integer(UInt64.self, at: base + 32)
            let (end, overflow) = offset.addingReportingOverflow(fileSize)
            if (kind == 1 || kind == 4) && (overflow || end > file.size) {
                throw DumpError(.header, "segment \(index) claims bytes \(offset)..<\(offset &+ fileSize), beyond the file's \(file.size) bytes (truncated or lying)")
            }
            if kind == 4 { notes.append((offset, fileSize)) }
            guard kind == 1, fileSize > 0 else { continue }
            guard physical & 0xFFF == 0, fileSize & 0xFFF == 0 else {
                throw DumpError(.header, "segment \(index) at physical 0x\(String(physical, radix: 16)) of \(fileSize) bytes is not whole pages")
            }
            guard physical.addingReportingOverflow(fileSize).overflow == false, physical + fileSize <= 1 << 52 else {
                throw DumpError(.header, "segment \(index) at physical 0x\(String(physical, radix: 16)) of \(fileSize) bytes passes 2^52")
            }
            regions.append(PhysicalMemoryDump.Region(physicalAddress: physical, byteCount: fileSize, fileOffset: offset))
        }
        regions.sort { $0.physicalAddress < $1.physicalAddress }
        for (first, second) in zip(regions, regions.dropFirst()) where first.physicalAddress + first.byteCount > second.physicalAddress {
            throw DumpError(.header, "segments overlap in physical memory at 0x\(String(second.physicalAddress, radix: 16))")
        }
        guard !regions.isEmpty else { throw DumpError(.header, "no PT_LOAD segment: the file holds no memory") }
        self.regions = regions
        var processors: [ProcessorState] = []
        var noteBytes: UInt64 = 0
        for note in notes {
            noteBytes += note.size
            guard noteBytes <= Self.noteLimit else { throw DumpError(.notes, "more than \(Self.noteLimit) bytes of notes") }
            let bytes = try Self.bytes(file, Int(note.size), at: note.offset, .notes, "a note segment")
            processors += try Self.processors(inNotes: bytes)
        }
        self.processors = processors
    }

    /// The QEMU CPU states among the notes of one segment.
    static func processors(inNotes bytes: [UInt8]) throws(DumpError) -> [ProcessorState] {
        var result: [ProcessorState] = []
        var position = 0
        while position + 12 <= bytes.count {
            let nameSize = Int(bytes.integer(UInt32.self, at: position))
            let descriptionSize = Int(bytes.integer(UInt32.self, at: position + 4))
            let type = bytes.integer(UInt32.self, at: position + 8)
            let nameStart = position + 12
            let descriptionStart = nameStart + (nameSize + 3) & ~3
            let next = descriptionStart + (descriptionSize + 3) & ~3
            guard nameSize <= bytes.count, descriptionSize <= bytes.count, next <= bytes.count + 3, descriptionStart + descriptionSize <= bytes.count else {
                throw DumpError(.notes, "the note at byte \(position) of its segment claims \(nameSize) + \(descriptionSize) bytes, more than the segment holds")
            }
            let name = bytes[nameStart..<nameStart + nameSize].prefix { $0 != 0 }
            if Array(name) == Array("QEMU".utf8) && type == 0 {
                result.append(try processor(Array(bytes[descriptionStart..<descriptionStart + descriptionSize]), number: result.count))
            }
            position = next
        }
        return result
    }

    /// One `QEMUCPUState`: version 1, and a size that covers `cr[5]` and fits the note.
    static func processor(_ state: [UInt8], number: Int) throws(DumpError) -> ProcessorState {
        let end = controlRegistersOffset + 5 * 8
        guard state.count >= 8 else { throw DumpError(.notes, "QEMU CPU note \(number) holds \(state.count) bytes, no version and size") }
        let version = state.integer(UInt32.self, at: 0), size = Int(state.integer(UInt32.self, at: 4))
        guard version == 1 else { throw DumpError(.notes, "QEMU CPU note \(number) has version \(version); only version 1 is known") }
        guard size >= end, size <= state.count else {
            throw DumpError(.notes, "QEMU CPU note \(number) says its state is \(size) bytes in a note of \(state.count); version 1 needs \(end) for the control registers")
        }
        func register(_ index: Int) -> UInt64 { state.integer(UInt64.self, at: controlRegistersOffset + index * 8) }
        return ProcessorState(cr0: register(0), cr3: register(3), cr4: register(4))
    }

    /// Exactly `count` bytes at `offset`, or an error naming `what` and the stage.
    private static func bytes(_ file: RegularFile, _ count: Int, at offset: UInt64, _ stage: DumpError.Stage, _ what: String) throws(DumpError) -> [UInt8] {
        let (end, overflow) = offset.addingReportingOverflow(UInt64(count))
        guard !overflow, end <= file.size else {
            throw DumpError(stage, "\(what) lies beyond the end of the file (\(file.size) bytes): truncated or lying header")
        }
        let bytes: [UInt8]
        do {
            bytes = try file.read(count, at: offset)
        } catch {
            throw DumpError(stage, error.description)
        }
        guard bytes.count == count else { throw DumpError(stage, "\(what): the file ended early (it changed while it was read)") }
        return bytes
    }
}

extension [UInt8] {
    /// The little-endian integer at `offset` (which the caller has bounds-checked).
    fileprivate func integer<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        var value: T = 0
        for index in (0..<MemoryLayout<T>.size).reversed() { value = value << 8 | T(self[offset + index]) }
        return value
    }
}
