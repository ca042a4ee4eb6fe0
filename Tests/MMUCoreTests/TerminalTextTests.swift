import MMUCore
import Testing

/// Text from files is escaped before a terminal: every C0 and C1 control, DEL and each
/// bidirectional override becomes `\u{XX}`; line breaks are kept only when asked.
struct TerminalTextTests {
    @Test(arguments: [
        ("plain name", "plain name"),
        ("a\u{1B}[2Jb", "a\\u{1B}[2Jb"),
        ("bell\u{7}", "bell\\u{7}"),
        ("del\u{7F}", "del\\u{7F}"),
        ("csi\u{9B}31m", "csi\\u{9B}31m"),
        ("rtl\u{202E}txt", "rtl\\u{202E}txt"),
        ("two\nlines\tand tab", "two\\u{A}lines\\u{9}and tab"),
        ("naïve €", "naïve €"),
    ])
    func controlCharactersAreEscaped(text: String, expected: String) {
        #expect(TerminalText.escaped(text) == expected)
    }

    @Test func lineBreaksAreKeptWhenAsked() {
        #expect(TerminalText.escaped("one\ntwo\t\u{1B}", keepingLineBreaks: true) == "one\ntwo\t\\u{1B}")
    }
}
