#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    private static let chunkSize = 1 << 20

    /// Lines of a file.
    init(file: POSIXFile) throws(POSIXFileError) {
        self.file = file
        self.buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        self.end = 0
        self.atEnd = false
        try fill()
    }

    /// Lines of text.
    init(text: String) {
        self.file = nil
        self.buffer = Array(text.utf8)
        self.end = buffer.count
        self.atEnd = true
    }

    /// Up to `limit` lines from the current position, as text, without consuming them.
    func peekLines(_ limit: Int) -> [Substring] {
        let text = String(decoding: buffer[start..<end], as: UTF8.self)
        return Array(text.split(separator: "\n", maxSplits: limit, omittingEmptySubsequences: false).prefix(limit))
    }

    /// The bytes of the next line (without its newline) in the buffer, or `nil` at the end.
    ///
    /// The range stays valid until the next call.
    func nextLine() throws(POSIXFileError) -> Range<Int>? {
        var searchFrom = start
        while true {
            let found = buffer.withUnsafeBufferPointer { all -> Int? in
                guard let base = all.baseAddress, searchFrom < end,
                    let hit = memchr(base + searchFrom, Int32(UInt8.newline), end - searchFrom)
                else { return nil }
                return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            }
            if let found {
                defer { start = found + 1 }
                lineNumber += 1
                return start..<found
            }
            if atEnd {
                guard start < end else { return nil }
                defer { start = end }
                lineNumber += 1
                return start..<end
            }
            let scanned = end - start
            try fill()
            searchFrom = start + scanned
        }
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
