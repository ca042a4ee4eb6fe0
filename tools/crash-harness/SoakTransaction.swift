import MMUCore
import MMUStore
import MMUTestSupport

/// The deterministic random transactions of the soaks: transaction number *n* of a seed is
/// always the same operations on the same set, so a parent can replay exactly what a worker
/// it killed was committing, from the number alone.
public struct SoakTransaction: Sendable {
    /// The set it changes.
    public var setName: String
    /// Its operations, in order; one that fails with a ``MappingError`` changes nothing and the
    /// others still commit.
    public var operations: [TransactionOperation]

    /// The sets of the single-writer soak, which copies and maps global entries between them.
    public static let soakSets = ["a", "b"]

    /// Transaction `number` of the single-writer soak: a random set of ``soakSets`` and ten
    /// random operations (overlaps, cuts of large pages, promotions, global entries, copies
    /// from the other set).
    public init(soakSeed seed: UInt64, number: Int64) {
        var generator = SplitMix64(seed: seed ^ (UInt64(bitPattern: number) &* 0x9E37_79B9_7F4A_7C15))
        let name = Self.soakSets[Int(generator.next() % UInt64(Self.soakSets.count))]
        var operations = RandomOperations(seed: generator.next(), otherSets: Self.soakSets.filter { $0 != name })
        self.init(setName: name, operations: (0..<10).map { _ in operations.next() })
    }

    /// Transaction `number` of a writer that owns `set` alone: ten random operations that
    /// touch only that set (no global entries, no copies), so its history does not depend on
    /// how its commits interleave with other writers'.
    public init(privateSeed seed: UInt64, set: String, number: Int64) {
        var operations = RandomOperations(seed: seed ^ (UInt64(bitPattern: number) &* 0x9E37_79B9_7F4A_7C15))
        var chosen: [TransactionOperation] = []
        while chosen.count < 10 {
            switch operations.next() {
            case .makeGlobal, .copy: continue
            case .map(var entry, let replacing, let largePages):
                entry.attributes.remove(.global)
                chosen.append(.map(entry, replacing: replacing, largePages: largePages))
            case let operation:
                chosen.append(operation)
            }
        }
        self.init(setName: set, operations: chosen)
    }

    /// Creates a transaction.
    public init(setName: String, operations: [TransactionOperation]) {
        self.setName = setName
        self.operations = operations
    }

    /// Applies the operations in `tx`, skipping those refused with a ``MappingError``.
    ///
    /// - Throws: Any other error (a store failure), which aborts the transaction.
    public func apply(to tx: TranslationSet.Transaction) throws {
        for operation in operations {
            do {
                try operation.apply(to: tx)
            } catch is MappingError {
                continue
            }
        }
    }
}
