import MMUCore

/// Every line of text the commands print goes through here: names and text read from files
/// (set, snapshot and label names, quoted lines) may carry terminal escape sequences, so
/// control characters other than line feeds and tabs are written as `\u{XX}`
/// (``TerminalText/escaped(_:keepingLineBreaks:)``). It shadows `Swift.print` in this module,
/// so no command can print raw text by accident; JSON goes through ``Output/jsonLine(_:)``,
/// whose encoder escapes control characters itself.
func print(_ text: some StringProtocol) {
    Swift.print(TerminalText.escaped(text, keepingLineBreaks: true))
}
