/// One access of a lackey trace as ``TraceReader/readAccesses(into:limit:)`` hands it out in
/// chunks: plain values, with where the trace goes on after it.
struct TracedAccess: Sendable {
    /// The access.
    var access: RecordedAccess
    /// The process it belongs to (see ``TraceEvent/processID``).
    var processID: Int32?
    /// Its 1-based line.
    var lineNumber: Int
    /// The offset of the first byte after its line.
    var endOffset: UInt64
}
