/// Parsing shared by the address and length types: `0x` hexadecimal or decimal, `_` ignored.
enum AddressParser {
    /// The value of `text`, or `nil` when it is not a 64-bit number.
    static func parse(_ text: String) -> UInt64? {
        let cleaned = text.filter { $0 != "_" }
        if cleaned.hasPrefix("0x") || cleaned.hasPrefix("0X") {
            let digits = cleaned.dropFirst(2)
            guard !digits.isEmpty else { return nil }
            return UInt64(digits, radix: 16)
        }
        guard !cleaned.isEmpty else { return nil }
        return UInt64(cleaned, radix: 10)
    }

    /// Decodes a value written either as a string in the forms above or as a JSON integer.
    static func decode(from decoder: any Decoder) throws -> UInt64 {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(UInt64.self) { return number }
        let text = try container.decode(String.self)
        guard let value = parse(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not an address (expected 0x-hex or decimal)")
        }
        return value
    }
}
