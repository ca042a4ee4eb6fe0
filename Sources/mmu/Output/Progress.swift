import Foundation
import MMUCore

/// A progress line on standard error, rewritten in place; only when it is a terminal.
struct Progress {
    /// A progress line when standard error is a terminal, else `nil` (silent).
    static var onTerminal: Progress? { isatty(STDERR_FILENO) == 1 ? Progress() : nil }

    /// Replaces the line with `text`.
    func show(_ text: String) {
        FileHandle.standardError.write(Data("\r\u{1B}[K\(TerminalText.escaped(text))".utf8))
    }

    /// Erases the line.
    func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
