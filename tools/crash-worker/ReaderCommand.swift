import ArgumentParser
import CrashHarness
import Foundation
import MMUStore

/// `reader`: checks the store over and over while writers run, each check one read
/// transaction that must never see half of a transaction.
struct ReaderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reader",
        abstract: "Check the store in a loop; print CHECKED N now and then, VIOLATION … on any finding.")

    @Option(help: "The store file (it must exist).") var store: String
    @Option(help: "Stop after this many checks (default: run until killed).") var checks: Int?
    @Option(help: "Pause this many milliseconds between checks, so the WAL can be reset now and then.") var pauseMs: Int = 10

    func run() throws {
        do {
            try checkRepeatedly()
        } catch {
            emit("ERROR \(error.code) \(error.detailedDescription().replacingOccurrences(of: "\n", with: " | "))")
            throw ExitCode(3)
        }
    }

    /// Opens the store and checks it until killed or done.
    private func checkRepeatedly() throws(StoreError) {
        let opened = try TranslationStore(path: store)
        var done = 0
        while checks.map({ done < $0 }) ?? true {
            let report = try opened.check()
            for problem in report.problems { emit("VIOLATION \(problem)") }
            for set in try opened.sets() { _ = try opened.translationSet(named: set.name) }
            done += 1
            if done % 10 == 0 { emit("CHECKED \(done)") }
            if pauseMs > 0 { Thread.sleep(forTimeInterval: Double(pauseMs) / 1000) }
        }
        emit("CHECKED \(done)")
    }
}
