/// What a worker reports after a step or transaction returned, written and flushed before the
/// next one starts, so the parent knows what the store acknowledged: `ACK step` after a
/// workload step, `ACK step sequence generation digest` (digest in hex) after a soak
/// transaction, whose log row the parent can then compare.
public struct Acknowledgement: Hashable, Sendable, CustomStringConvertible {
    /// The step (or, in a soak, the writer's transaction number) acknowledged.
    public var step: Int
    /// The commit's log row, when the step was one mmu transaction.
    public var commit: Commit?

    /// The log row of an acknowledged mmu transaction.
    public struct Commit: Hashable, Sendable {
        /// Its store-wide sequence number.
        public var sequence: Int64
        /// The generation it created.
        public var generation: Int64
        /// The set's content digest after it.
        public var digest: UInt64

        /// Creates a commit record.
        public init(sequence: Int64, generation: Int64, digest: UInt64) {
            self.sequence = sequence
            self.generation = generation
            self.digest = digest
        }
    }

    /// Creates an acknowledgement.
    public init(step: Int, commit: Commit? = nil) {
        self.step = step
        self.commit = commit
    }

    /// The line a worker prints.
    public var description: String {
        guard let commit else { return "ACK \(step)" }
        return "ACK \(step) \(commit.sequence) \(commit.generation) \(String(commit.digest, radix: 16))"
    }

    /// Parses a line a worker printed; `nil` when it is not an acknowledgement.
    public init?(line: String) {
        let fields = line.split(separator: " ")
        guard fields.first == "ACK", fields.count >= 2, let step = Int(fields[1]) else { return nil }
        if fields.count == 2 {
            self.init(step: step)
            return
        }
        guard fields.count == 5, let sequence = Int64(fields[2]), let generation = Int64(fields[3]),
            let digest = UInt64(fields[4], radix: 16)
        else { return nil }
        self.init(step: step, commit: Commit(sequence: sequence, generation: generation, digest: digest))
    }
}
