import Foundation

/// The rows a read-only SQL query returned.
public struct QueryResult: Hashable, Sendable {
    /// The column names.
    public var columns: [String]
    /// The rows, each with one value per column.
    public var rows: [[Value]]

    /// One SQLite value.
    public enum Value: Hashable, Sendable, CustomStringConvertible, Encodable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
        case blob(Data)

        /// The value as people read it (`NULL`, numbers, text, `x'…'` for blobs).
        public var description: String {
            switch self {
            case .null: "NULL"
            case .integer(let value): "\(value)"
            case .real(let value): "\(value)"
            case .text(let value): value
            case .blob(let data): "x'" + Self.hexadecimal(data) + "'"
            }
        }

        /// `data` as lowercase hexadecimal digits, built in one buffer.
        static func hexadecimal(_ data: Data) -> String {
            let digits = Array("0123456789abcdef".utf8)
            var text = [UInt8]()
            text.reserveCapacity(data.count * 2)
            for byte in data {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 15)])
            }
            return String(decoding: text, as: UTF8.self)
        }

        /// Encodes as the JSON value (blobs as hexadecimal text).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .null: try container.encodeNil()
            case .integer(let value): try container.encode(value)
            case .real(let value): try container.encode(value)
            case .text(let value): try container.encode(value)
            case .blob: try container.encode(description)
            }
        }
    }
}
