import GRDB

/// A GRDB transaction observer that only reports that a commit is about to happen (see
/// ``TranslationStore/observeCommits(_:)``); it asks for no row events, so it adds nothing
/// to the statements of a transaction.
final class CommitObserver: TransactionObserver {
    private let willCommit: @Sendable () -> Void

    init(willCommit: @escaping @Sendable () -> Void) {
        self.willCommit = willCommit
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }

    func databaseDidChange(with event: DatabaseEvent) {}

    func databaseWillCommit() throws { willCommit() }

    func databaseDidCommit(_ db: Database) {}

    func databaseDidRollback(_ db: Database) {}
}
