import Foundation
import MMUCore
import MMUStore
import Synchronization

/// The warning a writing command prints on standard error when a checkpoint that one of its
/// commits ran after itself failed: the change is committed (the command still succeeds, with
/// exit status 0), but the disk under the database reported an error worth knowing about.
enum CheckpointWarning {
    /// Whether this process has printed the warning; a long command (a simulation commits
    /// thousands of transactions) prints only the first failure.
    private static let shown = Atomic<Bool>(false)

    /// Prints `failure` as `warning: …` on standard error, the first time only.
    static func show(_ failure: StoreError) {
        guard !shown.exchange(true, ordering: .relaxed) else { return }
        let text = "warning: \(failure.message) (later checkpoint failures of this command are not shown)"
        FileHandle.standardError.write(Data((TerminalText.escaped(text, keepingLineBreaks: true) + "\n").utf8))
    }
}
