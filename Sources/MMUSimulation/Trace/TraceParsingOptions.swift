/// How a ``TraceReader`` treats what it reads.
public struct TraceParsingOptions: Hashable, Sendable {
    /// Count and skip malformed lines (see ``TraceStatistics/badLines``) instead of throwing
    /// ``TraceError`` at the first one.
    public var skipBadLines: Bool
    /// The process of events whose line names none (a lackey trace without its `==PID==`
    /// banner, an strace trace recorded without `-f`): `nil` leaves them without a process.
    public var processID: Int32?

    /// Creates options.
    public init(skipBadLines: Bool = false, processID: Int32? = nil) {
        self.skipBadLines = skipBadLines
        self.processID = processID
    }
}
