import Foundation
import GRDB

/// The open SQLite transaction of ``TranslationStore/groupingCommits(every:onDurable:_:)``:
/// each store write inside it runs in a savepoint of its own, and every `size` of them are made
/// durable by one commit.
///
/// Used only from the thread that runs the group's body (the writer's queue), so its counters
/// need no lock; it is `Sendable` only to sit in the `Sendable` store value.
final class CommitGroup: @unchecked Sendable {
    private let db: Database
    private let size: Int
    private let onDurable: ((Int) -> Void)?
    /// Writes done since the last commit.
    private(set) var pending = 0
    /// Writes made durable so far.
    private(set) var durable = 0

    init(db: Database, size: Int, onDurable: ((Int) -> Void)?) {
        self.db = db
        self.size = size
        self.onDurable = onDurable
    }

    /// Runs one write in a savepoint of the group's transaction (beginning one if none is open),
    /// committing when the group is full.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        if !db.isInsideTransaction {
            pending = 0
            try db.beginTransaction(.immediate)
        }
        var result: T?
        do {
            try db.inSavepoint {
                result = try body(db)
                return .commit
            }
        } catch {
            // An I/O error can roll the whole transaction back: its writes were never durable.
            if !db.isInsideTransaction { pending = 0 }
            throw error
        }
        guard let result else { throw StoreError(.io, "transaction produced no result") }
        pending += 1
        if pending >= size { try commit() }
        return result
    }

    /// Commits the writes done since the last commit, if any, and reports them durable.
    func commit() throws {
        guard db.isInsideTransaction else { return }
        try db.commit()
        durable += pending
        pending = 0
        onDurable?(durable)
    }

    /// Ends the group after `failure`: commits the writes that completed (a failed write has
    /// already rolled its savepoint back), or rolls them back when the commit fails.
    ///
    /// - Returns: The error to report: `failure`, with the commit's and rollback's errors when
    ///   they failed too.
    func end(after failure: any Error) -> any Error {
        guard db.isInsideTransaction else { return failure }
        do {
            try commit()
            return failure
        } catch {
            guard db.isInsideTransaction else { return StoreError(.io, "\(failure); the commit of the group then failed: \(error)") }
            do {
                try db.rollback()
            } catch let rollback {
                return StoreError(.io, "\(failure); the commit of the group then failed: \(error), and its rollback: \(rollback)")
            }
            return StoreError(.io, "\(failure); the commit of the group then failed and was rolled back: \(error)")
        }
    }
}
