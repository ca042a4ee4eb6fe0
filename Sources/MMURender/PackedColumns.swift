import CZlib
import Foundation

/// Columns of integers packed for the page's script: each number a LEB128 varint (seven bits a
/// byte, least significant first, the high bit set when more bytes follow), signed columns
/// zigzag-coded first (0, -1, 1, -2, … as 0, 1, 2, 3, …), the columns one after another, and the
/// whole block raw-deflated and written in base64. The page inflates it with the browser's
/// `DecompressionStream("deflate-raw")` and reads the columns back in the same order.
struct PackedColumns {
    /// The varints so far, uncompressed.
    private(set) var bytes: [UInt8] = []

    /// Appends one signed value, zigzag-coded.
    mutating func appendSigned(_ value: Int64) {
        append(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Appends the unsigned `values` as pairs: a value, then how many times it repeats in a row
    /// (at least 1). Columns that rarely change (page sizes, protections, attributes, cache
    /// modes) take a few bytes instead of one per value.
    ///
    /// - Complexity: O(*n*) for *n* values.
    mutating func appendRepeated<S: Sequence>(_ values: S) where S.Element == UInt64 {
        var current: (value: UInt64, count: UInt64)?
        for value in values {
            if let last = current, last.value == value {
                current?.count += 1
            } else {
                if let last = current { append(last.value); append(last.count) }
                current = (value, 1)
            }
        }
        if let last = current { append(last.value); append(last.count) }
    }

    /// Appends one varint.
    mutating func append(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// The block as the page holds it: raw deflate (zlib's fastest level: the page is written
    /// once and the data is mostly small varints), in base64.
    ///
    /// - Complexity: O(*n*) for *n* bytes.
    func deflatedBase64() -> String {
        var stream = z_stream()
        let level: Int32 = 1
        guard mmu_deflate_init_raw(&stream, level) == Z_OK else { preconditionFailure("zlib could not start a raw deflate stream (out of memory)") }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))))
        let result = bytes.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress.map(UnsafeMutablePointer.init(mutating:))
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        precondition(result == Z_STREAM_END, "zlib did not finish a raw deflate stream in the bound it gave (result \(result))")
        return Data(output[..<Int(stream.total_out)]).base64EncodedString()
    }
}
