#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MMUCore

/// Lines of a file or of text in memory, read in large chunks and handed out as byte buffers
/// without copying.
final class LineSource {
    private var buffer: [UInt8]
    private var start = 0
    private var end: Int
    private let file: POSIXFile?
    private var atEnd: Bool
    /// The number of the last line handed out (1-based).
    private(set) var lineNumber = 0
    /// The offset in the file (or text) of `buffer[0]`.
    private var bufferOffset: UInt64 = 0
    /// The offset in the file (or text) of the first byte not handed out yet.
    var offset: UInt64 { bufferOffset + UInt64(start) }

    private static let chunkSize = 1 << 20

    /// Lines of a file, each of at most `maximumLineLength` bytes.
    init(file: POSIXFile, maximumLineLength: Int) throws(POSIXFileError) {
        self.file = file
        self.maximumLineLength = maximumLineLength
        self.buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        self.end = 0
        self.atEnd = false
        try fill()
    }

    /// Lines of text, each of at most `maximumLineLength` bytes.
    init(text: String, maximumLineLength: Int) {
        self.file = nil
        self.maximumLineLength = maximumLineLength
        self.buffer = Array(text.utf8)
        self.end = buffer.count
        self.atEnd = true
    }

    /// Goes on reading at `offset`, the start of line `lineNumber + 1`.
    func move(to offset: UInt64, lineNumber: Int) throws(Failure) {
        if let file {
            do {
                try file.seek(to: offset)
                (start, end, bufferOffset, atEnd) = (0, 0, offset, false)
                try fill()
            } catch {
                throw .read(error)
            }
        } else {
            start = Int(min(offset, UInt64(end)))
        }
        self.lineNumber = lineNumber
    }

    /// Up to `count` bytes of the file (or text) that end at `offset`, fewer when it starts
    /// later or the file is shorter.
    func bytes(endingAt offset: UInt64, count: Int) throws(Failure) -> [UInt8] {
        let first = offset - min(offset, UInt64(count))
        guard let file else {
            let upper = Int(min(offset, UInt64(end)))
            return Array(buffer[min(Int(first), upper)..<upper])
        }
        var bytes = [UInt8](repeating: 0, count: Int(offset - first))
        let read = try bytes.withUnsafeMutableBytes { all in
            Result { () throws(POSIXFileError) -> Int in try file.read(into: all, at: first) }
        }.mapError { Failure.read($0) }.get()
        return Array(bytes[..<read])
    }

    /// Up to `limit` lines from the current position, as text, without consuming them: from
    /// at most the next chunk's worth of bytes.
    func peekLines(_ limit: Int) -> [Substring] {
        let text = String(decoding: buffer[start..<min(end, start + Self.chunkSize)], as: UTF8.self)
        return Array(text.split(separator: "\n", maxSplits: limit, omittingEmptySubsequences: false).prefix(limit))
    }

    /// The longest line handed out, in bytes without its newline.
    let maximumLineLength: Int
    /// How many bytes of a refused line are kept to quote.
    static let excerptLength = 120

    /// Why ``nextLine()`` failed.
    enum Failure: Error {
        /// The file cannot be read.
        case read(POSIXFileError)
        /// The line (now skipped) is longer than ``maximumLineLength``: its length and its first bytes.
        case tooLong(length: Int, start: [UInt8])

        /// What went wrong, in words.
        var message: String {
            switch self {
            case .read(let error): error.message
            case .tooLong(let length, _): "a line of \(length) bytes"
            }
        }
    }

    /// The bytes of the next line (without its newline) in the buffer, or `nil` at the end.
    ///
    /// The range stays valid until the next call. A line longer than ``maximumLineLength`` is
    /// read past in bounded memory and reported as ``Failure/tooLong(length:start:)``; the next
    /// call goes on after it.
    func nextLine() throws(Failure) -> Range<Int>? {
        var searchFrom = start
        while true {
            if let found = newline(from: searchFrom) {
                defer { start = found + 1 }
                lineNumber += 1
                if found - start > maximumLineLength { throw tooLong(length: found - start, endingAt: found) }
                return start..<found
            }
            if atEnd {
                guard start < end else { return nil }
                defer { start = end }
                lineNumber += 1
                if end - start > maximumLineLength { throw tooLong(length: end - start, endingAt: end) }
                return start..<end
            }
            if end - start > maximumLineLength { try skipLongLine() }
            let scanned = end - start
            do { try fill() } catch { throw .read(error) }
            searchFrom = start + scanned
        }
    }

    /// Calls `body` with each complete line that the buffer already holds from the current
    /// position (without its newline) and the offset of the byte after it, up to `limit` lines
    /// and until `body` returns `false`, and consumes those lines. None when the next line is not
    /// complete in the buffer or is longer than ``maximumLineLength``: ``nextLine()`` reads or
    /// refuses it.
    ///
    /// - Returns: The number of lines consumed.
    /// - Complexity: O(*n*) in the bytes of the lines.
    func consumeBufferedLines(limit: Int, _ body: (UnsafeBufferPointer<UInt8>, UInt64) -> Bool) -> Int {
        var lineStart = start, consumed = 0
        let end = self.end, origin = bufferOffset, longest = maximumLineLength
        buffer.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return }
            while consumed < limit, lineStart < end, let hit = memchr(base + lineStart, Int32(UInt8.newline), end - lineStart) {
                let lineEnd = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                guard lineEnd - lineStart <= longest else { return }
                consumed += 1
                let goOn = body(UnsafeBufferPointer(start: base + lineStart, count: lineEnd - lineStart), origin + UInt64(lineEnd + 1))
                lineStart = lineEnd + 1
                guard goOn else { return }
            }
        }
        start = lineStart
        lineNumber += consumed
        return consumed
    }

    /// The position of the first newline in the buffer at or after `position`, if any.
    private func newline(from position: Int) -> Int? {
        buffer.withUnsafeBufferPointer { all -> Int? in
            guard let base = all.baseAddress, position < end,
                let hit = memchr(base + position, Int32(UInt8.newline), end - position)
            else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// The failure for a line of `length` bytes whose last byte is before `lineEnd`.
    private func tooLong(length: Int, endingAt lineEnd: Int) -> Failure {
        .tooLong(length: length, start: Array(buffer[start..<min(lineEnd, start + Self.excerptLength)]))
    }

    /// Reads past the rest of a line longer than ``maximumLineLength`` that starts at `start`,
    /// one chunk at a time, then throws ``Failure/tooLong(length:start:)``.
    private func skipLongLine() throws(Failure) -> Never {
        let head = Array(buffer[start..<min(end, start + Self.excerptLength)])
        var length = 0
        while true {
            if let found = newline(from: start) {
                length += found - start
                start = found + 1
                break
            }
            length += end - start
            start = end
            if atEnd { break }
            do { try fill() } catch { throw .read(error) }
        }
        lineNumber += 1
        throw .tooLong(length: length, start: head)
    }

    /// Calls `body` with the bytes of a line that ``nextLine()`` returned.
    func withBytes<Result, Failure: Error>(
        of line: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try buffer.withUnsafeBufferPointer { (all) throws(Failure) -> Result in
            try body(UnsafeBufferPointer(rebasing: all[line]))
        }
    }

    /// Moves the unread bytes to the front and reads more, growing the buffer for long lines.
    private func fill() throws(POSIXFileError) {
        guard let file else {
            atEnd = true
            return
        }
        if start > 0 {
            buffer.withUnsafeMutableBufferPointer { all in
                guard let base = all.baseAddress else { return }
                memmove(base, base + start, end - start)
            }
            bufferOffset += UInt64(start)
            end -= start
            start = 0
        }
        if end == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
        let readFrom = end
        let count = try buffer.withUnsafeMutableBytes { all in
            Result { () throws(POSIXFileError) -> Int in
                try file.read(into: UnsafeMutableRawBufferPointer(rebasing: all[readFrom...]))
            }
        }.get()
        if count == 0 { atEnd = true }
        end += count
    }
}
