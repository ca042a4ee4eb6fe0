/// The trace formats a ``TraceReader`` reads.
public enum TraceFormat: String, CaseIterable, Hashable, Sendable {
    /// `strace -f` output of memory (and process) system calls.
    case strace
    /// valgrind `--tool=lackey --trace-mem=yes` output.
    case lackey

    /// Guesses the format from the first lines of a trace: lackey when a line has the shape of
    /// an access or a `==PID==` banner, strace when one starts (after its pid) with `name(`.
    ///
    /// - Returns: The format, or `nil` when no line tells.
    /// - Complexity: O(*n*) in the length of `lines`.
    public static func detect(from lines: some Sequence<Substring>) -> TraceFormat? {
        for line in lines {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("=="), trimmed.dropFirst(2).first?.isNumber == true { return .lackey }
            if let first = trimmed.first, "ILSM".contains(first), line.contains(","),
                !line.contains("("), trimmed.dropFirst().first == " "
            {
                return .lackey
            }
            var call = trimmed
            if call.hasPrefix("[pid"), let close = call.firstIndex(of: "]") {
                call = call[call.index(after: close)...]
            } else {
                call = call.drop { $0.isNumber }
            }
            if StraceParser.callName(call.drop { $0 == " " }) != nil { return .strace }
            if trimmed.hasPrefix("+++") || trimmed.hasPrefix("---") || trimmed.hasPrefix("[pid") { return .strace }
        }
        return nil
    }
}
