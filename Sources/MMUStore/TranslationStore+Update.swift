import GRDB
import MMUCore

/// The result of a committed mmu transaction.
public struct Commit: Hashable, Sendable, Codable {
    /// The set the transaction ran on.
    public var setName: String
    /// The generation it created.
    public var generation: Int64
    /// Its store-wide sequence number in the transaction log.
    public var sequence: Int64
    /// What changed, including the stale ranges (the TLB shootdown list).
    public var summary: TransactionSummary
}

extension TranslationStore {
    /// Runs one mmu transaction on a set as one SQLite `BEGIN IMMEDIATE` transaction.
    ///
    /// ```swift
    /// try store.update(set: "proc-42", label: "brk grows") { tx in
    ///     try tx.map(va, to: pa, size: .size4KiB, protection: [.read, .write, .user])
    ///     try tx.protect(range, [.read, .user])
    /// }
    /// ```
    ///
    /// If `body` throws, or any operation fails and its error escapes `body`, nothing is
    /// written (the proposal's `mmu_forget`). An operation whose error `body` catches changes
    /// nothing on its own, and the rest of the transaction commits.
    ///
    /// - Parameters:
    ///   - label: A note for the transaction log.
    ///   - expectedGeneration: Commit only if the set's head is exactly this generation; this makes
    ///     a retry after an ambiguous commit error idempotent (the retry then fails with `conflict`
    ///     when the first attempt did commit).
    ///   - creating: Create the set (declaring this architecture, or none) in the same
    ///     transaction if it does not exist; `nil` requires the set to exist.
    /// - Returns: The new generation, the log sequence number and the stale ranges.
    /// - Throws: ``StoreError`` (`mapping` wraps a ``MappingError``; `notFound`, `conflict`,
    ///   `readOnly`, `io`, `busy`); an error of another type thrown by `body` is rethrown as is.
    @discardableResult
    public func update(
        set name: String, label: String? = nil, expectedGeneration: Int64? = nil, creating: SetCreation? = nil,
        _ body: (TranslationSet.Transaction) throws -> Void
    ) throws -> Commit {
        try update(set: name, label: label, expectedGeneration: expectedGeneration, creating: creating, before: nil, body, after: nil)
    }

    /// ``update(set:label:expectedGeneration:creating:_:)`` with SQL run in the same transaction
    /// before `body` (after the set is found) and after the transaction's own writes.
    func update(
        set name: String, label: String?, expectedGeneration: Int64? = nil, creating: SetCreation? = nil,
        before: ((Database, StoredSet) throws -> Void)?, _ body: (TranslationSet.Transaction) throws -> Void,
        after: ((Database, StoredSet) throws -> Void)?
    ) throws -> Commit {
        var bodyError: (any Error)?
        if creating != nil { try Self.validate(name: name, of: "set") }
        do {
            return try write { db in
                if let creating, try StoredSet.fetch(db, named: name) == nil {
                    try Self.insertSet(named: name, architecture: creating.architecture, in: db)
                }
                let set = try StoredSet.require(db, named: name)
                try Self.refuseGlobal(set, "update")
                if let expectedGeneration, expectedGeneration != set.info.headGeneration {
                    throw StoreError(.conflict, "set '\(name)' is at generation \(set.info.headGeneration), not \(expectedGeneration)")
                }
                try before?(db, set)
                let backend = StoreBackend(db: db, set: set, globalHead: try globalHead(db))
                if let warmSets, before == nil, after == nil {
                    backend.warm = try warmSets.take(for: set, globalHead: backend.globalHead, in: db)
                    backend.warmSets = warmSets
                }
                defer { backend.resetStatements() }
                let transaction = TranslationSet.Transaction(backend: backend)
                do {
                    try body(transaction)
                } catch {
                    if !(error is MappingError || error is StoreError || error is DatabaseError) { bodyError = error }
                    throw error
                }
                if transaction.isPoisoned {
                    throw StoreError(.io, "set '\(name)': a database error inside the transaction was caught and ignored; nothing was committed")
                }
                let summary = transaction.summary
                let sequence = try backend.finish(label: label, counts: summary.counts)
                try after?(db, set)
                if let warm = backend.warm { warmSets?.keep(warm) }
                return Commit(setName: name, generation: backend.generation, sequence: sequence, summary: summary)
            }
        } catch {
            if let bodyError { throw bodyError }
            throw error
        }
    }

    /// How ``update(set:label:expectedGeneration:creating:_:)`` creates a missing set.
    public struct SetCreation: Sendable {
        /// The architecture the new set declares, if any.
        public var architecture: Architecture?

        /// Creates the set with this architecture.
        public init(architecture: Architecture? = nil) { self.architecture = architecture }
    }

    /// Maps many entries into a set in one transaction: the bulk path for initial loads.
    ///
    /// - Throws: ``StoreError`` as ``update(set:label:expectedGeneration:_:)``.
    @discardableResult
    public func map(_ entries: [MMUEntry], into name: String, label: String? = nil) throws -> Commit {
        try update(set: name, label: label) { tx in try tx.map(contentsOf: entries) }
    }
}
