import ArgumentParser
import Foundation
import MMUStore

/// `hold-lock`: holds the store's write lock inside an mmu transaction for a while, then
/// rolls it back: the other side of the busy-timeout test.
struct HoldLockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold-lock",
        abstract: "Hold the write lock of a set's transaction for some seconds; print LOCKED once it is held.")

    @Option(help: "The store file (it must exist).") var store: String
    @Option(help: "The set whose transaction holds the lock.") var set: String
    @Option(help: "How long to hold it.") var seconds: Double

    private struct Release: Error {}

    func run() throws {
        let opened = try TranslationStore(path: store)
        do {
            try opened.update(set: set, label: "hold the lock") { _ in
                emit("LOCKED")
                Thread.sleep(forTimeInterval: seconds)
                throw Release()
            }
        } catch is Release {
            emit("RELEASED")
        }
    }
}
