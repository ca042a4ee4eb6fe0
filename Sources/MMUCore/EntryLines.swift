#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The entries of a JSON-lines file, one per line as `mmu show --json` prints them, read in
/// bounded memory: the file is streamed in chunks and a line may hold at most ``lineLimit`` bytes.
///
/// Lines of the usual shape (`{"va":"0x…","pa":"0x…","size":"4KiB","protection":"rw-u"}` with
/// optional `global`, `accessed`, `dirty` and `cache`, addresses as hexadecimal strings or
/// integers) are parsed byte by byte; any other line goes to `JSONDecoder`, so the entries and
/// the errors are those of decoding every line with ``MMUEntry/init(from:)``. Empty lines and
/// lines starting with `#` are skipped, and lines are split at `\n` but not at `\r\n`, as the
/// importer always did.
public struct EntryLines: Sendable {
    /// The entries, in file order.
    public var entries: [MMUEntry]
    /// The 1-based line of each entry.
    public var lines: [Int]

    /// The most bytes a file may hold (1 GiB), as for every other input file.
    public static let fileLimit: UInt64 = 1 << 30
    /// The most bytes a line may hold (1 MiB).
    public static let lineLimit = 1 << 20

    /// Reads the regular file at `path` through the safe opener, telling `progress` the bytes
    /// read so far (0 first, then after every chunk) out of the file's `size`.
    ///
    /// - Throws: ``EntryLinesError``: the file refused (not regular, sparse, larger than
    ///   ``fileLimit``), a read error, or the first line that is not an entry.
    public init(path: String, progress: (_ bytesRead: Int, _ size: Int) -> Void = { _, _ in }) throws(EntryLinesError) {
        let file: RegularFile
        do {
            file = try RegularFile(openingForReading: path)
        } catch {
            throw .file(error.description)
        }
        guard file.size <= Self.fileLimit else {
            throw .file(RegularFileError(path: path, reason: .tooLarge(bytes: file.size, limit: Self.fileLimit)).description)
        }
        guard file.size <= file.allocatedBytes + RegularFile.allocationMargin else {
            throw .file(RegularFileError(path: path, reason: .sparse(bytes: file.size, allocated: file.allocatedBytes)).description)
        }
        var offset: UInt64 = 0
        progress(0, Int(file.size))
        try self.init(name: path, parsingFast: true) { buffer throws(EntryLinesError) in
            do {
                let count = try file.read(into: buffer, at: offset)
                offset += UInt64(count)
                progress(Int(offset), Int(file.size))
                return count
            } catch {
                throw .file("\(error)")
            }
        }
    }

    /// Reads standard input (or any descriptor) to its end.
    ///
    /// - Throws: ``EntryLinesError`` for a read error, more than ``fileLimit`` bytes, or the
    ///   first line that is not an entry.
    public init(descriptor: Int32, name: String) throws(EntryLinesError) {
        try self.init(name: name, parsingFast: true) { buffer throws(EntryLinesError) in
            while true {
                let count = read(descriptor, buffer.baseAddress, buffer.count)
                if count >= 0 { return count }
                if errno != EINTR { throw .file("\(name): \(String(cString: strerror(errno)))") }
            }
        }
    }

    /// Reads lines from `read`, which fills a buffer and returns the bytes it put there (0 at the
    /// end), `name` naming the source in errors; `parsingFast: false` decodes every line with
    /// `JSONDecoder` (the reference the tests compare the byte-level parser with).
    package init(name: String, parsingFast: Bool, read: (UnsafeMutableRawBufferPointer) throws(EntryLinesError) -> Int) throws(EntryLinesError) {
        var reader = LineReader(parsingFast: parsingFast)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 1)
        defer { chunk.deallocate() }
        var total: UInt64 = 0
        while true {
            let count = try read(chunk)
            if count == 0 { break }
            total += UInt64(count)
            guard total <= Self.fileLimit else { throw .file("\(name): more than the \(Self.fileLimit) bytes accepted") }
            try reader.consume(UnsafeRawBufferPointer(rebasing: chunk[..<count]))
        }
        try reader.finish()
        entries = reader.entries
        lines = reader.lines
    }
}

/// Why an entries file was not read.
public enum EntryLinesError: Error, Sendable, CustomStringConvertible {
    /// The file could not be opened or read: the message names the path and the problem.
    case file(String)
    /// This 1-based line is not an entry: `error` is what `JSONDecoder` threw for it.
    case line(Int, any Error)
    /// This 1-based line is longer than ``EntryLines/lineLimit``.
    case lineTooLong(Int)

    /// The problem, with the line number when there is one.
    public var description: String {
        switch self {
        case .file(let message): message
        case .line(let line, let error): "line \(line): \(error)"
        case .lineTooLong(let line): "line \(line): longer than \(EntryLines.lineLimit) bytes"
        }
    }
}
