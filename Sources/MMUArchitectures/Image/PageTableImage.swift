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
    let store: FrameStore
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

    /// Reads an exported image back into a table of its format.
    ///
    /// - Throws: ``ImageError`` for a missing or malformed manifest, an unknown format, a
    ///   truncated image, a table pointer outside the image's table pages, a loop, or a
    ///   malformed entry.
    /// - Complexity: O(table pages + entries).
    public static func read(from directory: URL) throws(ImageError) -> any HardwarePageTable {
        let manifestPath = directory.appendingPathComponent(manifestName)
        let data: Data
        do {
            data = try Data(contentsOf: manifestPath)
        } catch {
            throw .unreadable(path: manifestPath.path, reason: "\(error.localizedDescription)")
        }
        let manifest: ImageManifest
        do {
            manifest = try JSONDecoder().decode(ImageManifest.self, from: data)
        } catch {
            throw .malformedManifest("\(error)")
        }
        guard let format = PageTableFormat(named: manifest.format) else { throw .unknownFormat(manifest.format) }
        guard manifest.pageSize == 4096 else { throw .malformedManifest("pageSize \(manifest.pageSize) is not 4096") }
        guard manifest.byteOrder == (format.isBigEndian ? "big" : "little") else {
            throw .malformedManifest("byteOrder '\(manifest.byteOrder)' is wrong for \(format.name)")
        }
        let store = try loadPages(manifest, memory: directory.appendingPathComponent(memoryName).path, bigEndian: format.isBigEndian)
        return try format.importTable(manifest: manifest, store: store)
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
            guard let address = ImageManifest.value(text) else { throw .malformedManifest("table page '\(text)' is not a number") }
            guard address & 0xFFF == 0 else { throw .misalignedTablePage(PhysicalAddress(address)) }
            frames.append(address >> 12)
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        let size = UInt64(status.st_size)
        var store = FrameStore(primaryBase: frames.min() ?? 0)
        var buffer = [UInt64](repeating: 0, count: FrameStore.wordsPerPage)
        for frame in frames.sorted() {
            guard frame < (1 << 52), (frame + 1) << 12 <= size else {
                throw .truncatedImage(pageAddress: PhysicalAddress(frame << 12), imageBytes: size)
            }
            guard store.slot(ofFrame: frame) == nil else { throw .malformedManifest("table page \(ImageManifest.hex(frame << 12)) listed twice") }
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 4096, off_t(frame << 12)) }
            guard count == 4096 else { throw .truncatedImage(pageAddress: PhysicalAddress(frame << 12), imageBytes: size) }
            let slot = store.append(frame: frame)
            for index in 0..<FrameStore.wordsPerPage {
                store[slot, index] = bigEndian ? UInt64(bigEndian: buffer[index]) : UInt64(littleEndian: buffer[index])
            }
        }
        return store
    }
}
