import Foundation

/// Buffers CSV lines and writes them to a file in blocks of about 1 MiB.
struct CSVWriter {
    private let output: FileHandle
    private var buffer: [UInt8] = []
    private static let blockSize = 1 << 20

    /// A writer to `output`.
    init(_ output: FileHandle) {
        self.output = output
        buffer.reserveCapacity(Self.blockSize + 4096)
    }

    /// `text` quoted for CSV: in double quotes, each `"` doubled.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Appends one byte to the current line.
    mutating func append(_ byte: UInt8) { buffer.append(byte) }

    /// Appends `text` (already quoted if it must be) to the current line.
    mutating func append(_ text: String) { buffer.append(contentsOf: text.utf8) }

    /// Appends the fields of a whole line, separated by commas, and ends it.
    mutating func write(line fields: [[UInt8]]) throws(StoreError) {
        for (index, field) in fields.enumerated() {
            if index > 0 { append(UInt8(ascii: ",")) }
            buffer.append(contentsOf: field)
        }
        try endLine()
    }

    /// Ends the current line, writing the buffer out when it holds a block.
    mutating func endLine() throws(StoreError) {
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= Self.blockSize { try flush() }
    }

    /// Writes out everything buffered.
    mutating func flush() throws(StoreError) {
        guard !buffer.isEmpty else { return }
        do {
            try output.write(contentsOf: buffer)
        } catch {
            throw StoreError(.io, "cannot write rows: \(error)")
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
