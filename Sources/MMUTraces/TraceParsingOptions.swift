/// How a ``TraceReader`` treats what it reads.
public struct TraceParsingOptions: Hashable, Sendable {
    /// Count and skip malformed lines (see ``TraceStatistics/badLines``) instead of throwing
    /// ``TraceError`` at the first one.
    public var skipBadLines: Bool
    /// The process of events whose line names none (a lackey trace without its `==PID==`
    /// banner, an strace trace recorded without `-f`): `nil` leaves them without a process.
    public var processID: Int32?
    /// The longest line read, in bytes without its newline: a longer one is a bad line
    /// (``TraceError/Reason/lineTooLong(length:limit:)``), read past in bounded memory. Traces
    /// are files from elsewhere; lines of lackey and of strace with its default string length
    /// (`-s 32`) stay far below the default.
    public var maximumLineLength: Int

    /// The default ``maximumLineLength``: 64 KiB.
    public static let defaultMaximumLineLength = 64 << 10

    /// Creates options.
    public init(skipBadLines: Bool = false, processID: Int32? = nil, maximumLineLength: Int = Self.defaultMaximumLineLength) {
        self.skipBadLines = skipBadLines
        self.processID = processID
        self.maximumLineLength = max(1, maximumLineLength)
    }
}
