import Foundation
import MMUCore

/// An exported page table: `manifest.json` plus `memory.img`, a sparse raw physical image in
/// which each table page sits at the byte offset equal to its physical address.
///
/// Only non-zero pages are written (with `pwrite` at their offset); holes are never filled,
/// so an image of tables placed high in physical memory stays small on disk.
public struct PageTableImage: Sendable {
    /// What the manifest says.
    public var manifest: ImageManifest
    /// The table pages.
    var store: FrameStore
    /// Whether entries are big-endian doublewords (PowerPC).
    let isBigEndian: Bool

    init(manifest: ImageManifest, store: FrameStore, isBigEndian: Bool) {
        self.manifest = manifest
        self.store = store
        self.isBigEndian = isBigEndian
    }

    /// The name of the manifest file in an image directory.
    public static let manifestName = "manifest.json"
    /// The name of the memory file in an image directory.
    public static let memoryName = "memory.img"

    /// Writes the image into `directory` (created if needed).
    ///
    /// - Throws: ``ImageError/unwritable(path:reason:)``.
    /// - Complexity: O(table pages).
    public func write(to directory: URL) throws(ImageError) {
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(manifest).write(to: directory.appendingPathComponent(Self.manifestName))
        } catch {
            throw .unwritable(path: directory.path, reason: "\(error)")
        }
        let path = directory.appendingPathComponent(Self.memoryName).path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw .unwritable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var end: UInt64 = 0
        var bytes = [UInt64](repeating: 0, count: FrameStore.wordsPerPage)
        for (slot, frame) in store.liveSlots {
            end = max(end, (frame + 1) << 12)
            var isZero = true
            for index in 0..<FrameStore.wordsPerPage {
                let word = store[slot, index]
                if word != 0 { isZero = false }
                bytes[index] = isBigEndian ? word.bigEndian : word.littleEndian
            }
            if isZero { continue }
            let written = bytes.withUnsafeBytes { buffer in pwrite(descriptor, buffer.baseAddress, 4096, off_t(frame << 12)) }
            guard written == 4096 else { throw .unwritable(path: path, reason: String(cString: strerror(errno))) }
        }
        guard ftruncate(descriptor, off_t(end)) == 0 else {
            throw .unwritable(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// The most bytes `manifest.json` may hold (64 MiB: about three million table pages).
    public static let manifestLimit: UInt64 = 64 << 20

    /// The most bytes of listed table pages that may lie in holes of `memory.img` (256 MiB):
    /// export writes only non-zero pages, so empty tables (most of a hashed table) are holes,
    /// but every listed page costs 4 KiB of memory once read.
    public static let holeAllowance: UInt64 = 256 << 20

    /// Reads an exported image back into a table of its format.
    ///
    /// Both files are opened once, refusing anything but regular files without blocking (a
    /// FIFO, socket, device or symbolic link), and every count the manifest gives is checked
    /// against what `memory.img` really holds before anything is allocated.
    ///
    /// - Throws: ``ImageError`` for a missing or malformed manifest, an unknown format, a
    ///   truncated image, more table pages than the image holds, a table pointer outside the
    ///   image's table pages, a loop, or a malformed entry.
    /// - Complexity: O(table pages + entries).
    public static func read(from directory: URL) throws(ImageError) -> any HardwarePageTable {
        let manifest = try readManifest(from: directory)
        guard let format = PageTableFormat(named: manifest.format) else { throw .unknownFormat(TerminalText.escaped(manifest.format)) }
        guard manifest.pageSize == 4096 else { throw .malformedManifest("pageSize \(manifest.pageSize) is not 4096") }
        guard manifest.byteOrder == (format.isBigEndian ? "big" : "little") else {
            throw .malformedManifest("byteOrder '\(TerminalText.escaped(manifest.byteOrder))' is wrong for \(format.name)")
        }
        let store = try loadPages(manifest, memory: directory.appendingPathComponent(memoryName).path, bigEndian: format.isBigEndian)
        return try format.importTable(manifest: manifest, store: store)
    }

    /// Reads and decodes `manifest.json` of an image directory (at most ``manifestLimit`` bytes,
    /// from a regular file).
    ///
    /// - Throws: ``ImageError/unreadable(path:reason:)`` or ``ImageError/malformedManifest(_:)``.
    public static func readManifest(from directory: URL) throws(ImageError) -> ImageManifest {
        let path = directory.appendingPathComponent(manifestName).path
        let bytes: [UInt8]
        do {
            bytes = try RegularFile(openingForReading: path).readAll(limit: manifestLimit)
        } catch {
            throw .unreadable(path: path, reason: error.problem)
        }
        do {
            return try JSONDecoder().decode(ImageManifest.self, from: Data(bytes))
        } catch {
            throw .malformedManifest(TerminalText.escaped("\(error)"))
        }
    }

    /// Reads an exported image back into canonical entries.
    ///
    /// - Throws: ``ImageError`` as ``read(from:)`` does, plus
    ///   ``ImageError/entryCountMismatch(manifest:found:)`` and
    ///   ``ImageError/overlappingEntries(_:_:)``.
    /// - Complexity: O(table pages + entries log entries).
    public static func readSet(from directory: URL) throws(ImageError) -> TranslationSet {
        let table = try read(from: directory)
        let entries = try table.entries()
        do {
            return try TranslationSet(entries: entries, architecture: nil)
        } catch {
            let sorted = entries.sorted { $0.virtualAddress < $1.virtualAddress }
            let pair = zip(sorted, sorted.dropFirst()).first { $0.range.overlaps($1.range) }
            throw .overlappingEntries(pair?.0 ?? sorted[0], pair?.1 ?? sorted[0])
        }
    }

    /// Loads the listed table pages from the memory file into a store.
    private static func loadPages(_ manifest: ImageManifest, memory path: String, bigEndian: Bool) throws(ImageError) -> FrameStore {
        var frames: [UInt64] = []
        frames.reserveCapacity(manifest.tablePages.count)
        for text in manifest.tablePages {
            guard let address = ImageManifest.value(text) else { throw .malformedManifest("table page '\(TerminalText.escaped(text))' is not a number") }
            guard address & 0xFFF == 0 else { throw .misalignedTablePage(PhysicalAddress(address)) }
            frames.append(address >> 12)
        }
        let memory: RegularFile
        do {
            memory = try RegularFile(openingForReading: path)
        } catch {
            throw .unreadable(path: path, reason: error.problem)
        }
        let size = memory.size
        let listedBytes = UInt64(frames.count) * 4096
        guard listedBytes <= size, listedBytes <= memory.allocatedBytes + holeAllowance else {
            throw .tooManyTablePages(count: frames.count, imageBytes: size, allocatedBytes: memory.allocatedBytes)
        }
        var store = FrameStore(primaryBase: frames.min() ?? 0)
        for frame in frames.sorted() {
            guard frame < (1 << 52), (frame + 1) << 12 <= size else {
                throw .truncatedImage(pageAddress: PhysicalAddress(frame << 12), imageBytes: size)
            }
            guard store.slot(ofFrame: frame) == nil else { throw .malformedManifest("table page \(ImageManifest.hex(frame << 12)) listed twice") }
            let page: [UInt8]
            do {
                page = try memory.read(4096, at: frame << 12)
            } catch {
                throw .unreadable(path: path, reason: error.problem)
            }
            guard page.count == 4096 else { throw .truncatedImage(pageAddress: PhysicalAddress(frame << 12), imageBytes: size) }
            let slot = store.append(frame: frame)
            for index in 0..<FrameStore.wordsPerPage {
                let word = page.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self) }
                store[slot, index] = bigEndian ? UInt64(bigEndian: word) : UInt64(littleEndian: word)
            }
        }
        return store
    }
}
