import MMUCore
import MMUStore
import MMUTestSupport

/// The parent's expected state of a soak store (RocksDB's "expected values"): an in-memory
/// model of the whole store, advanced one deterministic transaction at a time, so that after
/// a kill the recovered store can be compared with the model at the sequence it recovered to.
public final class ExpectedState {
    private let model = StoreModel(recordsHistory: false)
    private let next: (Int64) -> SoakTransaction
    /// The sequence number the model is at (0: no transaction yet).
    public private(set) var sequence: Int64 = 0
    /// The sets the model holds.
    public let setNames: [String]

    /// Creates the expected state of an empty store with `sets`, whose transaction number *n*
    /// is `transaction(n)`.
    public init(sets: [String], transaction: @escaping (Int64) -> SoakTransaction) {
        setNames = sets
        next = transaction
        for name in sets { model.createSet(name) }
    }

    /// Applies transactions until the model is at `target`.
    ///
    /// - Throws: ``HarnessError`` when `target` is behind the model (it never goes back).
    public func advance(to target: Int64) throws(HarnessError) {
        guard target >= sequence else {
            throw HarnessError("the expected state is at sequence \(sequence); it cannot go back to \(target)")
        }
        while sequence < target {
            let transaction = next(sequence + 1)
            do {
                try model.update(set: transaction.setName) { tx in try transaction.apply(to: tx) }
            } catch {
                throw HarnessError("the model refused transaction \(sequence + 1): \(error)")
            }
            sequence += 1
        }
    }

    /// The content digest of a set in the model, as the store records it.
    public func digest(of set: String) -> UInt64 {
        model.view(of: set, accessState: false).contentDigest
    }

    /// The differences between the store's head and the model, one line per set that differs.
    ///
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func differences(from store: TranslationStore) throws -> [String] {
        var problems: [String] = []
        for name in setNames {
            let stored = try store.translationSet(named: name, includingActivity: true)
            let expected = model.view(of: name)
            if stored.entries != expected.entries {
                let missing = Set(expected.entries).subtracting(stored.entries).count
                let extra = Set(stored.entries).subtracting(expected.entries).count
                problems.append("set '\(name)' at sequence \(sequence): \(missing) expected entries missing, \(extra) unexpected")
            }
            if stored.pageActivity != expected.pageActivity {
                problems.append("set '\(name)' at sequence \(sequence): page activity differs")
            }
        }
        return problems
    }
}
