import GRDB

extension TranslationStore {
    /// Runs `body` with the store's writes made durable `size` at a time (group commit).
    ///
    /// Every write that `body` makes through the store it is given (an ``update(set:label:expectedGeneration:creating:_:)``,
    /// a snapshot, …) is still its own mmu transaction, with its own generation and log row, and
    /// runs in a savepoint (a refused one leaves the others whole); but only every `size`-th
    /// write, and the last one, ends with a commit and its `fsync`. A crash therefore loses the
    /// writes since the last commit, a whole group or nothing of each transaction, never a part
    /// of one. `onDurable` is called after each commit with the number of writes durable so far:
    /// acknowledge work there, not when a write returns.
    ///
    /// The group holds the store's write lock until it ends; other writers wait (or fail with
    /// `busy`). Reads through the store on the group's thread see the group's writes; other
    /// connections and processes see only committed groups. If `body` throws, the writes that
    /// completed are committed before the error is rethrown. A group inside a group joins it.
    ///
    /// - Parameters:
    ///   - size: Writes per commit, at least 1 (1 commits each write, as outside a group).
    ///   - onDurable: Called after each commit with the count of durable writes.
    ///   - body: Work to do on the grouped store; do not use the grouped store after it returns.
    /// - Returns: What `body` returns.
    /// - Throws: ``StoreError`` with code `readOnly` for a store opened for reading, `io` for a
    ///   size below 1; `body`'s error.
    public func groupingCommits<T>(
        every size: Int, onDurable: ((Int) -> Void)? = nil, _ body: (TranslationStore) throws -> T
    ) throws -> T {
        guard size >= 1 else { throw StoreError(.io, "a commit group must hold at least 1 transaction, not \(size)") }
        if let access {
            throw StoreError(.readOnly, "\(access.path) was opened for reading only; this change needs it opened for writing")
        }
        if commitGroup != nil { return try body(self) }
        defer { boundWriteAheadLog() }
        var bodyError: (any Error)?
        do {
            return try writer.writeWithoutTransaction { db in
                let group = CommitGroup(db: db, size: size, onDurable: onDurable)
                var grouped = self
                grouped.commitGroup = group
                let result: T
                do {
                    result = try body(grouped)
                } catch {
                    let reported = group.end(after: error)
                    bodyError = reported
                    throw reported
                }
                try group.commit()
                return result
            }
        } catch {
            if let bodyError { throw bodyError }
            throw Self.explainingBusy(StoreError.wrapping(error), path: path)
        }
    }
}
