/// Text from a file someone else made (set, snapshot and label names, quoted file content),
/// made safe to print on a terminal.
package enum TerminalText {
    /// `text` with every control character (C0, DEL, C1) and every bidirectional override
    /// written as `\u{XX}`, so that no escape sequence reaches the terminal and no name can
    /// move the cursor, recolour the screen or reorder what follows it.
    ///
    /// - Parameter keepingLineBreaks: Keep line feeds and tabs as they are (for messages whose
    ///   own lines are wanted); names are escaped with `false`.
    package static func escaped(_ text: some StringProtocol, keepingLineBreaks: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepingLineBreaks: keepingLineBreaks) }) else { return String(text) }
        var result = ""
        for scalar in text.unicodeScalars {
            if needsEscape(scalar, keepingLineBreaks: keepingLineBreaks) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar, keepingLineBreaks: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: !keepingLineBreaks
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
        default: false
        }
    }
}
