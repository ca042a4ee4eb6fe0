/// JSON written by hand for the page's data (a million runs would take JSONEncoder seconds):
/// strings escaped for JSON and, since the JSON sits inside a `<script>` element, with `<`, `>`
/// and `&` escaped too, so no text from the store can end the element.
enum JSONText {
    /// `text` as a JSON string literal safe inside HTML.
    static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "<", ">", "&", "\u{2028}", "\u{2029}": result += escaped(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: result += escaped(scalar)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// `\\uXXXX` for a scalar of the Basic Multilingual Plane.
    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
