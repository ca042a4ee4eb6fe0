extension TraceError {
    /// The most characters of a trace's text an error keeps or quotes.
    public static let excerptLength = 120

    /// The first ``excerptLength`` characters of `text`, with `…` when it is longer.
    static func excerpt(_ text: String) -> String {
        var end = text.startIndex
        guard text.formIndex(&end, offsetBy: excerptLength, limitedBy: text.endIndex), end < text.endIndex else { return text }
        return text[..<end] + "…"
    }

    /// `text` cut as ``excerpt(_:)`` and made safe for a terminal as ``escaped(_:)``.
    static func quoted(_ text: String) -> String { escaped(excerpt(text)) }

    /// `text` made safe for a terminal: control characters (C0, DEL, C1) and backslashes
    /// escaped as `\u{…}` (upper-case hexadecimal, as `TerminalText` writes them) and `\\`.
    public static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x5C: result += "\\\\"
            case 0..<0x20, 0x7F...0x9F: result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
