/// Why a trace could not be read: the file, the line and what was expected there.
public struct TraceError: Error, Hashable, Sendable, Codable {
    /// The trace's file path, or the name given to text read from memory.
    public var file: String
    /// The 1-based line number; 0 when the problem is not one line's.
    public var lineNumber: Int
    /// The start of the offending line, at most ``excerptLength`` characters and `…` when cut
    /// (empty when the problem is not one line's).
    public var line: String
    /// What is wrong.
    public var reason: Reason

    /// Creates an error; `line` is cut to its first ``excerptLength`` characters.
    public init(file: String, lineNumber: Int, line: String, reason: Reason) {
        self.file = file
        self.lineNumber = lineNumber
        self.line = Self.excerpt(line)
        self.reason = reason
    }

    /// What is wrong with a trace or one of its lines.
    public enum Reason: Error, Hashable, Sendable, Codable {
        /// The file cannot be opened or read (the system's message).
        case unreadable(String)
        /// The format is neither strace nor lackey, as far as the first lines tell.
        case unknownFormat
        /// The line has none of the shapes of its format.
        case unrecognizedLine
        /// A system call line without ` = result` and not `<unfinished ...>`.
        case missingResult(call: String)
        /// A call with the wrong number of arguments.
        case argumentCount(call: String, expected: String, found: Int)
        /// An argument that does not parse as what it should be.
        case invalidArgument(call: String, position: Int, text: String, expected: String)
        /// A result that does not parse as what the call returns.
        case invalidResult(call: String, text: String)
        /// A `[pid N]` prefix whose N is not a process id.
        case invalidProcessID(String)
        /// `<... call resumed>` with no `<unfinished ...>` call pending for that process.
        case unmatchedResume(call: String)
        /// `<... call resumed>` while a different call was pending for that process.
        case resumeMismatch(pending: String, resumed: String)
        /// A new call while the process still had an unfinished one.
        case callWhileUnfinished(pending: String)
        /// A lackey line whose first column is not `I`, `L`, `S` or `M`.
        case unknownAccessKind(String)
        /// A lackey address that is not hexadecimal (or longer than 64 bits).
        case invalidAddress(String)
        /// A lackey line without the `,` between address and size.
        case missingSize
        /// A lackey size that is not a decimal number.
        case invalidSize(String)
        /// An access whose last byte passes 2^64 − 1.
        case addressOverflow
        /// Characters after a complete lackey access.
        case trailingCharacters(String)
        /// A line longer than the reader takes (its length and the limit, in bytes).
        case lineTooLong(length: Int, limit: Int)

        /// What the line should have looked like.
        public var expected: String {
            switch self {
            case .unreadable: "a readable file"
            case .unknownFormat: "an `strace -f` trace or a valgrind lackey trace"
            case .unrecognizedLine:
                "`[PID] call(arguments) = result`, `<unfinished ...>`, `<... call resumed>`, `--- SIGNAL ---`, `+++ exited +++` (strace) or `I|L|S|M address,size` (lackey)"
            case .missingResult: "` = result` after the arguments, or `<unfinished ...>`"
            case .argumentCount(_, let expected, _): "\(expected) arguments"
            case .invalidArgument(_, _, _, let expected): expected
            case .invalidResult: "a number, an address, `?` or `-1 ERRNO (message)`"
            case .invalidProcessID: "`[pid N]` with a decimal N"
            case .unmatchedResume: "an `<unfinished ...>` line of the same call before the resume"
            case .resumeMismatch(let pending, _): "`<... \(pending) resumed>`"
            case .callWhileUnfinished(let pending): "`<... \(pending) resumed>` first"
            case .unknownAccessKind: "`I`, `L`, `S` or `M` in the first column"
            case .invalidAddress: "a hexadecimal address of at most 16 digits"
            case .missingSize: "`address,size`"
            case .invalidSize: "a decimal size after the comma"
            case .addressOverflow: "an access that ends below 2^64"
            case .trailingCharacters: "the end of the line after the size"
            case .lineTooLong(_, let limit): "lines of at most \(limit) bytes"
            }
        }
    }
}

extension TraceError: CustomStringConvertible {
    /// `file:12: expected …, found "…"`, in the form compilers use. Text from the trace is
    /// quoted escaped and cut to ``excerptLength`` characters.
    public var description: String {
        let file = Self.escaped(file)
        switch reason {
        case .unreadable(let message): return "\(file): cannot read the trace: \(message)"
        case .unknownFormat: return "\(file): unknown trace format: expected \(reason.expected)"
        case .lineTooLong(let length, _):
            return "\(file):\(lineNumber): the line is \(length) bytes long: expected \(reason.expected); it starts: \(Self.quoted(line))"
        default:
            let detail: String
            let q = Self.quoted
            switch reason {
            case .missingResult(let call): detail = "call \(q(call)) has no result"
            case .argumentCount(let call, _, let found): detail = "\(q(call)) has \(found) arguments"
            case .invalidArgument(let call, let position, let text, _): detail = "argument \(position) of \(q(call)) is '\(q(text))'"
            case .invalidResult(let call, let text): detail = "result of \(q(call)) is '\(q(text))'"
            case .invalidProcessID(let text): detail = "process id '\(q(text))'"
            case .unmatchedResume(let call): detail = "\(q(call)) resumed but never started"
            case .resumeMismatch(let pending, let resumed): detail = "\(q(resumed)) resumed while \(q(pending)) was pending"
            case .callWhileUnfinished(let pending): detail = "a new call while \(q(pending)) is unfinished"
            case .unknownAccessKind(let kind): detail = "access kind '\(q(kind))'"
            case .invalidAddress(let text): detail = "address '\(q(text))'"
            case .invalidSize(let text): detail = "size '\(q(text))'"
            case .trailingCharacters(let text): detail = "trailing '\(q(text))'"
            default: detail = "malformed line"
            }
            return "\(file):\(lineNumber): \(detail): expected \(reason.expected); the line is: \(q(line))"
        }
    }
}
