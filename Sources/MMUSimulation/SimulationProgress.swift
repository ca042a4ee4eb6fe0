/// Progress of a running simulation, reported about twice a second.
public struct SimulationProgress: Hashable, Sendable {
    /// Trace lines read.
    public var lines: Int
    /// Events applied.
    public var events: Int
    /// Transactions committed.
    public var transactions: Int
    /// 4 KiB pages mapped now, in all sets.
    public var residentPages: Int
    /// Seconds since the run started.
    public var seconds: Double

    /// Lines read per second.
    public var linesPerSecond: Double { seconds > 0 ? Double(lines) / seconds : 0 }
}
