import GRDB

extension TranslationStore {
    /// `error` with, when it is a `busy` failure of the database at `path`, a message saying
    /// what holds the lock and what to do instead of SQLite's "database is locked".
    static func explainingBusy(_ error: StoreError, path: String?) -> StoreError {
        guard error.code == .busy, let path, let cause = error.cause as? DatabaseError,
            cause.resultCode == .SQLITE_BUSY || cause.resultCode == .SQLITE_LOCKED
        else { return error }
        let holder = LockHolders.describe(databaseAt: path).map { "\($0) holds its write lock" }
            ?? "another process holds its write lock (one this process cannot see in /proc/locks)"
        return StoreError(
            .busy, "\(path) is busy: \(holder), and it stayed held for the \(Int(busyTimeout)) s a writer waits. "
                + "Let that process finish its transaction (or end it: an sqlite3 shell with an open BEGIN, a stopped mmu), "
                + "then run the command again; readers are never blocked", cause: cause)
    }
}
