import ArgumentParser
import CrashHarness
import Foundation
import MMUStore

/// `writer`: deterministic random transactions, forever or for a count, acknowledging each.
struct WriterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "writer",
        abstract: "Commit soak transactions; print ACK NUMBER SEQUENCE GENERATION DIGEST after each.",
        discussion: """
            Without --set, transaction N is the soak's transaction number N of the seed and must get log sequence N \
            (one writer owns the store). With --set, the writer owns that set: its transaction N is the set's \
            generation N-1, with private operations only.
            """)

    @Option(help: "The store file (it must exist, with the sets).") var store: String
    @Option(help: "The seed of the transactions.") var seed: UInt64
    @Option(help: "Own only this set (for several writers on one store).") var set: String?
    @Option(help: "Stop after this many transactions (default: run until killed).") var transactions: Int?
    @Option(help: "Compact every set after every this many transactions (0: never).") var compactEvery: Int = 0
    @Option(help: "Pause a random 0 to this many milliseconds between transactions (think time).") var pauseMs: Int = 0
    @Flag(help: "With --set: when the lock stays busy past the timeout, print BUSY NUMBER and try the transaction again.")
    var retryBusy = false
    @Option(help: "A boundary file (16 bytes) to mark each transaction's begin, commit and acknowledgement in.") var boundaries: String?

    func run() throws {
        let marker: BoundaryMarker?
        do {
            marker = try boundaries.map { path throws(HarnessError) in try BoundaryMarker(path: path) }
        } catch {
            emit("ERROR \(error.description)")
            throw ExitCode(3)
        }
        let opened: TranslationStore
        var number: Int64
        do {
            opened = try TranslationStore(path: store)
            number = try set.map { try opened.set(named: $0).headGeneration + 2 } ?? (opened.lastSequence() + 1)
            if let marker {
                opened.observeCommits { marker.commitSent() }
            }
        } catch let error as StoreError {
            emit("ERROR \(error.code) \(error.detailedDescription().replacingOccurrences(of: "\n", with: " | "))")
            throw ExitCode(3)
        }
        var done = 0
        while transactions.map({ done < $0 }) ?? true {
            let transaction = set.map { SoakTransaction(privateSeed: seed, set: $0, number: number) }
                ?? SoakTransaction(soakSeed: seed, number: number)
            do {
                let commit = try opened.update(set: transaction.setName, label: "soak \(number)") { tx in
                    marker?.mark(.inTransaction, transaction: number)
                    try transaction.apply(to: tx)
                }
                if set == nil && commit.sequence != number {
                    emit("ERROR conflict transaction \(number) got sequence \(commit.sequence)")
                    throw ExitCode(4)
                }
                let digest = try opened.set(named: transaction.setName).headDigest
                emit(Acknowledgement(step: Int(number), commit: .init(sequence: commit.sequence, generation: commit.generation, digest: digest)).description)
                marker?.mark(.between)
                if compactEvery > 0 && number % Int64(compactEvery) == 0 {
                    for name in set.map({ [$0] }) ?? SoakTransaction.soakSets { try opened.compact(set: name) }
                    marker?.mark(.between)
                }
            } catch let error as StoreError where retryBusy && set != nil && error.code == .busy {
                // A transaction that failed as busy did not commit: the set is still at the
                // generation before it, which is checked before trying it again.
                let head = try opened.set(named: transaction.setName).headGeneration
                guard head == number - 2 else {
                    emit("ERROR busy transaction \(number) failed as busy, but set \(transaction.setName) is at generation \(head)")
                    throw ExitCode(3)
                }
                emit("BUSY \(number)")
                continue
            } catch let error as StoreError {
                emit("ERROR \(error.code) \(error.detailedDescription().replacingOccurrences(of: "\n", with: " | "))")
                throw ExitCode(3)
            }
            number += 1
            done += 1
            if pauseMs > 0 { Thread.sleep(forTimeInterval: Double(Int.random(in: 0...pauseMs)) / 1000) }
        }
        emit("DONE \(done)")
    }
}
