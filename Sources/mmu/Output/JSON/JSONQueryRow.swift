import MMUStore

/// One line of `mmu sql --json`: the row's columns by name. Integers beyond ±2^53 are written as
/// decimal strings, so no JSON reader rounds them; blobs as `x'…'` text.
struct JSONQueryRow: Encodable {
    let columns: [String]
    let values: [QueryResult.Value]

    /// The largest integer every JSON reader holds exactly.
    static let exactLimit: Int64 = 1 << 53


    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        for (column, value) in zip(columns, values) {
            let key = JSONKey(stringValue: column)
            switch value {
            case .integer(let integer) where integer.magnitude > UInt64(Self.exactLimit):
                try container.encode(String(integer), forKey: key)
            default:
                try container.encode(value, forKey: key)
            }
        }
    }
}
