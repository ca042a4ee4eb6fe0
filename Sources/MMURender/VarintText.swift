/// Columns of integers written compactly for the page's script: each number in base 32, least
/// significant digit first, each digit one character of the URL-safe base-64 alphabet (values
/// 0–31, plus 32 when more digits follow). Signed columns are zigzag-coded first (0, -1, 1, -2,
/// … as 0, 1, 2, 3, …). Small numbers take one character, and nothing needs escaping in JSON or HTML.
enum VarintText {
    /// The 64 digits; the script decodes with the same string.
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// The unsigned `values` as one JSON string.
    ///
    /// - Complexity: O(*n*) for *n* values.
    static func column<S: Sequence>(_ values: S) -> String where S.Element == UInt64 {
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        bytes.reserveCapacity(values.underestimatedCount * 2 + 2)
        for value in values { append(value, to: &bytes) }
        bytes.append(UInt8(ascii: "\""))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The signed `values`, zigzag-coded, as one JSON string.
    static func signedColumn<S: Sequence>(_ values: S) -> String where S.Element == Int64 {
        column(values.lazy.map { UInt64(bitPattern: ($0 << 1) ^ ($0 >> 63)) })
    }

    /// The unsigned `values` as one JSON string of pairs: a value, then how many times it
    /// repeats in a row (at least 1). Columns that rarely change (page sizes, protections,
    /// attributes, cache modes) take a few characters instead of one per value.
    ///
    /// - Complexity: O(*n*) for *n* values.
    static func repeatedColumn<S: Sequence>(_ values: S) -> String where S.Element == UInt64 {
        var pairs: [(value: UInt64, count: UInt64)] = []
        for value in values {
            if let last = pairs.last, last.value == value {
                pairs[pairs.count - 1].count += 1
            } else {
                pairs.append((value, 1))
            }
        }
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        for pair in pairs {
            append(pair.value, to: &bytes)
            append(pair.count, to: &bytes)
        }
        bytes.append(UInt8(ascii: "\""))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the digits of `value`.
    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 32 {
            bytes.append(alphabet[Int(rest & 31) | 32])
            rest >>= 5
        }
        bytes.append(alphabet[Int(rest)])
    }
}
