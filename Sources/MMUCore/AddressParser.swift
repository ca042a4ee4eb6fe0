/// Parsing shared by the address types: `0x` hexadecimal or decimal, `_` ignored.
enum AddressParser {
    /// The value of `text`, or `nil` when it is not a 64-bit number.
    static func parse(_ text: String) -> UInt64? {
        let cleaned = text.filter { $0 != "_" }
        if cleaned.hasPrefix("0x") || cleaned.hasPrefix("0X") {
            let digits = cleaned.dropFirst(2)
            guard !digits.isEmpty else { return nil }
            return UInt64(digits, radix: 16)
        }
        guard !cleaned.isEmpty, cleaned.allSatisfy(\.isASCIIDigit) else { return nil }
        return UInt64(cleaned, radix: 10)
    }

    /// The value of `text` as an address.
    ///
    /// - Throws: ``NotationError/negative(_:)`` for `-5`, ``NotationError/tooLarge(_:)`` past
    ///   64 bits, ``NotationError/notAnAddress(_:)`` otherwise.
    static func address(_ text: String) throws(NotationError) -> UInt64 {
        if let value = parse(text) { return value }
        if ByteCountParser.isNegative(text) { throw .negative(text) }
        if ByteCountParser.isOverlong(text) { throw .tooLarge(text) }
        throw .notAnAddress(text)
    }

    /// Decodes a value written either as a string in the forms above or as a JSON integer.
    static func decode(from decoder: any Decoder) throws -> UInt64 {
        try decode(from: decoder, parsing: address)
    }

    /// Decodes a value written either as a JSON integer or as a string that `parse` reads; a
    /// negative integer and a refused string are reported as decoding errors with the
    /// notation's message.
    static func decode(from decoder: any Decoder, parsing parse: (String) throws(NotationError) -> UInt64) throws -> UInt64 {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(UInt64.self) { return number }
        if let number = try? container.decode(Int64.self) {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: NotationError.negative("\(number)").description)
        }
        let text = try container.decode(String.self)
        do {
            return try parse(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }
}

extension Character {
    /// Whether this is one of `0`…`9` (not any Unicode digit).
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
