/// One access of a lackey trace as ``TraceReader/readAccesses(into:limit:)`` hands it out in
/// chunks: plain values, with where the trace goes on after it.
package struct TracedAccess: Sendable {
    /// The access.
    package var access: RecordedAccess
    /// The process it belongs to (see ``TraceEvent/processID``).
    package var processID: Int32?
    /// Its 1-based line.
    package var lineNumber: Int
    /// The offset of the first byte after its line.
    package var endOffset: UInt64
}
