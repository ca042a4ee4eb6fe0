import Foundation

/// A guest's physical memory written by hand, for dump-walk tests: table pages set word by
/// word, written as a raw image or as a QEMU-style ELF core (one `PT_LOAD` of all memory at
/// physical 0, one "QEMU" CPU note holding CR0, CR3 and CR4 at their version-1 offsets).
public struct SyntheticDump: Sendable {
    /// The bytes of memory.
    public var memoryBytes: UInt64
    /// The non-zero pages, by frame number.
    public var pages: [UInt64: [UInt64]] = [:]

    /// Memory of `memoryBytes` bytes, all zero.
    public init(memoryBytes: UInt64) {
        self.memoryBytes = memoryBytes
    }

    /// Sets word `index` of the page at frame `frame`.
    public mutating func set(frame: UInt64, index: Int, to value: UInt64) {
        pages[frame, default: [UInt64](repeating: 0, count: 512)][index] = value
    }

    /// The raw image: byte offset = physical address.
    public var rawImage: Data {
        var data = Data(count: Int(memoryBytes))
        for (frame, words) in pages where (frame + 1) << 12 <= memoryBytes {
            for (index, word) in words.enumerated() {
                withUnsafeBytes(of: word.littleEndian) { data.replaceSubrange(Int(frame << 12) + index * 8..<Int(frame << 12) + index * 8 + 8, with: $0) }
            }
        }
        return data
    }

    /// Where the memory starts in ``elfCore(cr0:cr3:cr4:version:stateSize:)``.
    public static let elfMemoryOffset = 0x1000

    /// An ELF core: header, a `PT_NOTE` and a `PT_LOAD` program header, the note, then memory
    /// at ``elfMemoryOffset``.
    ///
    /// - Parameters:
    ///   - version: The QEMU CPU state's version field (1 is the known one).
    ///   - stateSize: Its size field (440 in QEMU 7.2).
    public func elfCore(cr0: UInt64 = 0x8005_0033, cr3: UInt64, cr4: UInt64 = 0x6b0, version: UInt32 = 1, stateSize: UInt32 = 440) -> Data {
        var header = Data(count: 64)
        header.replaceSubrange(0..<4, with: [0x7F, 0x45, 0x4C, 0x46])
        header[4] = 2
        header[5] = 1
        header[6] = 1
        Self.put(UInt16(4), at: 16, in: &header)
        Self.put(UInt16(62), at: 18, in: &header)
        Self.put(UInt32(1), at: 20, in: &header)
        Self.put(UInt64(64), at: 32, in: &header)
        Self.put(UInt16(64), at: 52, in: &header)
        Self.put(UInt16(56), at: 54, in: &header)
        Self.put(UInt16(2), at: 56, in: &header)
        var state = Data(count: 440)
        Self.put(version, at: 0, in: &state)
        Self.put(stateSize, at: 4, in: &state)
        Self.put(cr0, at: 392, in: &state)
        Self.put(cr3, at: 416, in: &state)
        Self.put(cr4, at: 424, in: &state)
        var note = Data(count: 20)
        Self.put(UInt32(5), at: 0, in: &note)
        Self.put(UInt32(state.count), at: 4, in: &note)
        note.replaceSubrange(12..<16, with: Array("QEMU".utf8))
        note += state
        let noteOffset = 64 + 2 * 56
        var programHeaders = Data(count: 112)
        Self.put(UInt32(4), at: 0, in: &programHeaders)
        Self.put(UInt64(noteOffset), at: 8, in: &programHeaders)
        Self.put(UInt64(note.count), at: 32, in: &programHeaders)
        Self.put(UInt64(note.count), at: 40, in: &programHeaders)
        Self.put(UInt32(1), at: 56, in: &programHeaders)
        Self.put(UInt64(Self.elfMemoryOffset), at: 56 + 8, in: &programHeaders)
        Self.put(memoryBytes, at: 56 + 32, in: &programHeaders)
        Self.put(memoryBytes, at: 56 + 40, in: &programHeaders)
        var file = header + programHeaders + note
        file += Data(count: Self.elfMemoryOffset - file.count)
        return file + rawImage
    }

    /// Writes `value` little-endian at `offset` of `data`.
    public static func put<T: FixedWidthInteger>(_ value: T, at offset: Int, in data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.replaceSubrange(offset..<offset + MemoryLayout<T>.size, with: $0) }
    }

    /// A small 4-level tree at CR3 0x1000 in 64 KiB of memory, as Linux would build it:
    ///
    /// - `0x0` rw- user NX, `0x1000` r-x user, `0x2000` kernel rw- NX with PCD (PAT index 2),
    ///   `0x3000` rw- user NX with software bit 11 (Linux's soft-dirty), all accessed, the first dirty;
    /// - `0x200000` a 2 MiB kernel rw- NX global page of a frame outside memory (0x200000);
    /// - `0x400000` a user rw- NX leaf under a page-directory entry without R/W: read-only in effect;
    /// - `0xffffffff80000000` a 1 GiB kernel r-x global page.
    public static func linuxLike() -> SyntheticDump {
        var dump = SyntheticDump(memoryBytes: 64 << 10)
        let table: UInt64 = 0x27, noExecute: UInt64 = 1 << 63
        dump.set(frame: 1, index: 0, to: 2 << 12 | table)
        dump.set(frame: 2, index: 0, to: 3 << 12 | table)
        dump.set(frame: 3, index: 0, to: 5 << 12 | table)
        dump.set(frame: 5, index: 0, to: noExecute | 9 << 12 | 0x67)
        dump.set(frame: 5, index: 1, to: 10 << 12 | 0x25)
        dump.set(frame: 5, index: 2, to: noExecute | 11 << 12 | 0x33)
        dump.set(frame: 5, index: 3, to: noExecute | 12 << 12 | 0x827)
        dump.set(frame: 3, index: 1, to: noExecute | 0x20_0000 | 0x1E3)
        dump.set(frame: 3, index: 2, to: 4 << 12 | 0x25)
        dump.set(frame: 4, index: 0, to: noExecute | 8 << 12 | 0x27)
        dump.set(frame: 1, index: 511, to: 6 << 12 | table)
        dump.set(frame: 6, index: 510, to: 0x4000_0000 | 0x1A1)
        return dump
    }
}
