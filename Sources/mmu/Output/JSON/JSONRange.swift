import MMUCore

/// A virtual range as every JSON output writes it: `{"start":"0x…","end":"0x…"}`, the end exclusive.
///
/// Both are hexadecimal text, so the range that ends at 2^64 (`"0x10000000000000000"`) is exact too.
struct JSONRange: Encodable {
    let start: String
    let end: String

    init(_ range: VirtualRange) {
        start = range.start.description
        end = range.upperPage == VirtualRange.pageLimit
            ? "0x10000000000000000" : "0x" + String(range.upperPage << PageSize.minimumShift, radix: 16)
    }
}
