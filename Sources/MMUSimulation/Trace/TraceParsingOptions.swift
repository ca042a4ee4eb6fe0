/// How a ``TraceReader`` treats what it reads.
public struct TraceParsingOptions: Hashable, Sendable {
    /// Count and skip malformed lines (see ``TraceStatistics/badLines``) instead of throwing
    /// ``TraceError`` at the first one.
    public var skipBadLines: Bool

    /// Creates options.
    public init(skipBadLines: Bool = false) {
        self.skipBadLines = skipBadLines
    }
}
