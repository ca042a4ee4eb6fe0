import GRDB

extension TranslationStore {
    /// How the writer of a store makes a commit durable: its journal mode and `synchronous`
    /// level, applied after GRDB's own connection setup (which would otherwise leave a WAL
    /// writer at `synchronous=NORMAL`).
    ///
    /// Only the crash tests and tools choose anything but ``walFull``, through
    /// ``TranslationStore/init(path:creatingIfMissing:vfs:durability:)``.
    package enum Durability: String, CaseIterable, Sendable {
        /// WAL with `synchronous=FULL` through a connection pool: the WAL is synced at every
        /// commit, so an acknowledged transaction survives a crash and a power cut. The setting
        /// of every store opened with ``TranslationStore/init(path:creatingIfMissing:)``.
        case walFull
        /// A rollback journal (`journal_mode=DELETE`) with `synchronous=EXTRA` through one
        /// serial connection: the journal's directory is synced when the journal is deleted,
        /// so a commit survives a power cut right after it. The documented fallback.
        case deleteExtra
        /// WAL with `synchronous=NORMAL` (GRDB's pool default): consistent, but a power cut
        /// can undo acknowledged transactions. The canary of the power-cut tests; never for data.
        case walNormal

        /// The value `PRAGMA journal_mode` must read.
        var journalMode: String { self == .deleteExtra ? "delete" : "wal" }

        /// The value `PRAGMA synchronous` must read: 1 NORMAL, 2 FULL, 3 EXTRA.
        var synchronous: Int {
            switch self {
            case .walFull: 2
            case .deleteExtra: 3
            case .walNormal: 1
            }
        }

        /// Sets the journal mode and `synchronous` level on the writer connection `db`.
        func apply(to db: Database) throws {
            if self == .deleteExtra {
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
            }
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
        }

        /// Checks that the settings stuck on the writer connection `db`.
        ///
        /// - Throws: ``StoreError`` `io` naming the setting that did not.
        func verify(in db: Database) throws {
            let synchronous = try Int.fetchOne(db, sql: "PRAGMA synchronous")
            let journal = try String.fetchOne(db, sql: "PRAGMA journal_mode")
            guard synchronous == self.synchronous, journal == journalMode else {
                throw StoreError(
                    .io, "durability settings did not stick: synchronous=\(synchronous ?? -1), journal_mode=\(journal ?? "?") "
                        + "instead of \(self.synchronous) and \(journalMode)")
            }
        }
    }
}
