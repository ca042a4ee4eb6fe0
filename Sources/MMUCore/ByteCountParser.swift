/// The one parser of sizes and lengths: `0x` hexadecimal, decimal, or decimal with a binary unit.
///
/// `K`, `M`, `G`, `T` and `KiB`, `MiB`, `GiB`, `TiB` (any letter case) are powers of 1024, so
/// `4K` = `4KiB` = 4,096. `KB`, `MB`, `GB`, `TB` are refused as ambiguous: they mean powers of
/// 1000 to some readers and of 1024 to others. Plain digits are decimal; `_` separates digit groups.
package enum ByteCountParser {
    /// The unit letters, in order of their power of 1024.
    static let units: [Character] = ["K", "M", "G", "T"]

    /// The number of bytes `text` names.
    ///
    /// - Throws: ``NotationError/ambiguousUnit(_:)`` for `4KB`, ``NotationError/negative(_:)``,
    ///   ``NotationError/tooLarge(_:)``, ``NotationError/notANumber(_:)``.
    package static func byteCount(_ text: String) throws(NotationError) -> UInt64 {
        if let value = AddressParser.parse(text) { return value }
        if isNegative(text) { throw .negative(text) }
        let upper = text.uppercased()
        var stem = Substring(upper)
        if stem.hasSuffix("IB") {
            stem = stem.dropLast(2)
        } else if stem.hasSuffix("B"), let unit = stem.dropLast().last, units.contains(unit),
            stem.dropLast(2).allSatisfy({ $0.isASCIIDigit || $0 == "_" })
        {
            throw .ambiguousUnit(text)
        }
        guard let unit = stem.last, let exponent = units.firstIndex(of: unit),
            !stem.hasPrefix("0X"), let number = AddressParser.parse(String(stem.dropLast()))
        else {
            throw isOverlong(text) ? .tooLarge(text) : .notANumber(text)
        }
        let shift = UInt64(10 * (exponent + 1))
        guard number <= UInt64.max >> shift else { throw .tooLarge(text) }
        return number << shift
    }

    /// Whether `text` is a minus sign (`-` or `−`) followed by a number.
    static func isNegative(_ text: String) -> Bool {
        guard let first = text.first, first == "-" || first == "\u{2212}" else { return false }
        return text.dropFirst().first?.isASCIIDigit == true
    }

    /// Whether `text` is all digits (or 0x and hex digits) but too long for 64 bits.
    static func isOverlong(_ text: String) -> Bool {
        let cleaned = text.filter { $0 != "_" }
        if cleaned.lowercased().hasPrefix("0x") {
            let digits = cleaned.dropFirst(2)
            return !digits.isEmpty && digits.allSatisfy(\.isHexDigit)
        }
        return !cleaned.isEmpty && cleaned.allSatisfy(\.isASCIIDigit)
    }

    /// Decodes a byte count written as a string in the forms above or as a JSON integer.
    static func decode(from decoder: any Decoder) throws -> UInt64 {
        try AddressParser.decode(from: decoder, parsing: byteCount)
    }
}
