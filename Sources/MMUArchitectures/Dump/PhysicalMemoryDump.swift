import MMUCore

/// A guest's physical memory as a file: QEMU's ELF core (`dump-guest-memory` with
/// `"paging": false`) or a raw image whose byte offset is the physical address.
///
/// The file is opened once through the safe opener (a FIFO, socket, device or symbolic link is
/// refused without blocking) and kept open; pages are read on demand with `pread`, so a dump of
/// any size costs only the pages a walk reads. Every count and offset the ELF headers give is
/// checked against the file before it is used.
public final class PhysicalMemoryDump: Sendable {
    /// What kind of file the dump is.
    public enum Kind: String, Hashable, Sendable {
        /// An ELF core of guest-physical memory (segments at their `p_paddr`).
        case elf
        /// A raw image: byte offset = physical address.
        case raw
    }

    /// A run of physical memory the file holds.
    public struct Region: Hashable, Sendable {
        /// The first physical address.
        public var physicalAddress: UInt64
        /// The length in bytes.
        public var byteCount: UInt64
        /// Where the bytes start in the file.
        public var fileOffset: UInt64
    }

    /// The path as given.
    public let path: String
    /// The kind of file.
    public let kind: Kind
    /// The physical memory the file holds, by ascending address, disjoint.
    public let regions: [Region]
    /// The processors' control registers (one per QEMU CPU note; none in a raw image).
    public let processors: [ProcessorState]
    /// The open file.
    let file: RegularFile

    /// Opens a dump, detecting its kind (an ELF file starts with `\x7FELF`).
    ///
    /// - Throws: ``DumpError`` naming the stage: the file cannot be opened or is not a regular
    ///   file (``DumpError/Stage/open``), a malformed or lying ELF header or program header
    ///   (``DumpError/Stage/header``), or a malformed QEMU note (``DumpError/Stage/notes``).
    public init(openingForReading path: String) throws(DumpError) {
        self.path = path
        do {
            file = try RegularFile(openingForReading: path)
        } catch {
            throw DumpError(.open, error.description)
        }
        let magic: [UInt8]
        do {
            magic = try file.read(4, at: 0)
        } catch {
            throw DumpError(.open, error.description)
        }
        if magic == [0x7F, 0x45, 0x4C, 0x46] {
            let core = try ELFCore(reading: file)
            kind = .elf
            regions = core.regions
            processors = core.processors
        } else {
            guard file.size >= 4096 else { throw DumpError(.header, "a raw image of \(file.size) bytes holds no page") }
            kind = .raw
            regions = [Region(physicalAddress: 0, byteCount: file.size & ~0xFFF, fileOffset: 0)]
            processors = []
        }
    }

    /// The total bytes of physical memory the dump holds.
    public var memoryBytes: UInt64 { regions.reduce(0) { $0 + $1.byteCount } }

    /// The region holding the 4 KiB frame `frame` whole, or `nil`.
    func region(holding frame: UInt64) -> Region? {
        let address = frame << 12
        var low = 0, high = regions.count
        while low < high {
            let middle = (low + high) / 2
            if regions[middle].physicalAddress + regions[middle].byteCount <= address { low = middle + 1 } else { high = middle }
        }
        guard low < regions.count, regions[low].physicalAddress <= address,
            address + 4096 <= regions[low].physicalAddress + regions[low].byteCount
        else { return nil }
        return regions[low]
    }

    /// Reads the 512 little-endian words of the frame `frame` into `words`.
    ///
    /// - Returns: `false` when the dump does not hold the frame.
    /// - Throws: ``DumpError`` (``DumpError/Stage/walk``) for a read error or a file shorter than
    ///   its headers said (it changed while it was read).
    func readFrame(_ frame: UInt64, into words: inout [UInt64]) throws(DumpError) -> Bool {
        guard frame < 1 << 52, let region = region(holding: frame) else { return false }
        let offset = region.fileOffset + (frame << 12 - region.physicalAddress)
        let count = words.withUnsafeMutableBytes { buffer in
            Result { () throws(RegularFileError) -> Int in try file.read(into: buffer, at: offset) }
        }
        let read: Int
        do {
            read = try count.get()
        } catch {
            throw DumpError(.walk, error.description)
        }
        guard read == 4096 else {
            throw DumpError(.walk, "\(TerminalText.escaped(path)) ended at byte \(offset + UInt64(read)) inside the page at 0x\(String(frame << 12, radix: 16)) (it changed while it was read)")
        }
        for index in words.indices { words[index] = UInt64(littleEndian: words[index]) }
        return true
    }
}
