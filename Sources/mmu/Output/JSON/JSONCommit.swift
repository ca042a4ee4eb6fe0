import MMUCore
import MMUStore

/// A commit as the writing commands print it: the set, the generation, the log sequence, the
/// stale ranges (the TLB shootdown list) and the operation counts.
struct JSONCommit: Encodable {
    let setName: String
    let generation: Int64
    let sequence: Int64
    let staleRanges: [JSONRange]
    let counts: OperationCounts

    init(_ commit: Commit) {
        setName = commit.setName
        generation = commit.generation
        sequence = commit.sequence
        staleRanges = commit.summary.staleRanges.map(JSONRange.init)
        counts = commit.summary.counts
    }
}
