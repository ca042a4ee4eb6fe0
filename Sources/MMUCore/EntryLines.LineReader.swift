#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

extension EntryLines {
    /// Splits streamed bytes into lines and turns each line into an entry.
    struct LineReader {
        /// Whether lines of the usual shape go to ``LineParser`` before `JSONDecoder`.
        let parsingFast: Bool
        private(set) var entries: [MMUEntry] = []
        private(set) var lines: [Int] = []
        /// The start of a line that continues in the next chunk.
        private var pending: [UInt8] = []
        /// The last byte of the previous chunk (a `\r` there joins a `\n` that starts the next).
        private var previousByte: UInt8 = 0
        private var lineNumber = 1
        private let decoder = JSONDecoder()

        init(parsingFast: Bool) { self.parsingFast = parsingFast }

        /// Takes the next chunk of the file.
        mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(EntryLinesError) {
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
            var start = 0
            var index = 0
            while index < bytes.count, let found = memchr(base + index, 0x0A, bytes.count - index) {
                let position = UnsafeRawPointer(found) - base
                index = position + 1
                // `split(separator: "\n")` on a String never splits "\r\n", one Character.
                if (position > 0 ? bytes[position - 1] : previousByte) == 0x0D { continue }
                if pending.isEmpty {
                    guard position - start <= EntryLines.lineLimit else { throw .lineTooLong(lineNumber) }
                    try line(UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
                } else {
                    pending.append(contentsOf: bytes[start..<position])
                    guard pending.count <= EntryLines.lineLimit else { throw .lineTooLong(lineNumber) }
                    let whole = pending
                    pending.removeAll(keepingCapacity: true)
                    try whole.withUnsafeBytes { whole in Result { () throws(EntryLinesError) in try line(whole) } }.get()
                }
                lineNumber += 1
                start = index
            }
            pending.append(contentsOf: bytes[start...])
            guard pending.count <= EntryLines.lineLimit else { throw .lineTooLong(lineNumber) }
            previousByte = bytes[bytes.count - 1]
        }

        /// Takes the last line, which has no newline after it.
        mutating func finish() throws(EntryLinesError) {
            let whole = pending
            pending = []
            try whole.withUnsafeBytes { whole in Result { () throws(EntryLinesError) in try line(whole) } }.get()
        }

        private mutating func line(_ bytes: UnsafeRawBufferPointer) throws(EntryLinesError) {
            if parsingFast {
                var start = 0, end = bytes.count
                while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
                while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
                if start == end { return }
                if bytes[start] == UInt8(ascii: "#"), end - start == 1 || bytes[start + 1] < 0x80 { return }
                if let entry = LineParser.entry(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) {
                    entries.append(entry)
                    lines.append(lineNumber)
                    return
                }
            }
            let trimmed = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { return }
            do {
                entries.append(try decoder.decode(MMUEntry.self, from: Data(trimmed.utf8)))
                lines.append(lineNumber)
            } catch {
                throw .line(lineNumber, error)
            }
        }
    }
}
