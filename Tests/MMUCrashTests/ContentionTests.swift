import CrashHarness
import Foundation
import MMUStore
import Testing

extension CrashTests {
    /// T9 (RELIABILITY.md §8): two writer processes and a reader on one file, 1,000 transactions
    /// per writer: every transaction is acknowledged exactly once, and the final log holds
    /// exactly the acknowledged transactions, by sequence and by content digest.
    ///
    /// Each writer thinks 0 to 40 ms between transactions and the reader pauses 50 ms between
    /// checks. On a loaded machine one writer can still keep the other waiting past the busy
    /// timeout, which fails as a typed `busy` (nothing committed); the writers retry such a
    /// transaction after checking that its set did not move, so what is asserted holds under
    /// any load, and the test prints how many busy failures there were.
    @Suite struct ContentionTests {
        static let transactions = 1_000

        @Test func twoWritersAndAReaderCommitExactlyWhatWasAcknowledged() throws {
            let scratch = try Scratch()
            let path = scratch.path("store.sqlite")
            let sets = ["w1", "w2"]
            let seed = UInt64.random(in: 0...UInt64.max)
            do {
                let store = try TranslationStore(path: path, creatingIfMissing: true)
                for name in sets { try store.createSet(named: name) }
            }
            let started = Date()
            let reader = try WorkerProcess(["reader", "--store", path, "--pause-ms", "50"])
            let writers = try sets.map { name in
                try WorkerProcess(["writer", "--store", path, "--seed", "\(seed)", "--set", name, "--transactions", "\(Self.transactions)", "--pause-ms", "40", "--retry-busy"])
            }
            let outcomes = writers.map { $0.wait() }
            reader.kill()
            let readerOutcome = reader.wait()
            let elapsed = Date().timeIntervalSince(started)

            for (name, outcome) in zip(sets, outcomes) {
                #expect(outcome.status == 0 && !outcome.wasSignalled, "writer \(name): \(outcome.summary)")
                #expect(outcome.errorLine == nil, "writer \(name): \(outcome.errorLine ?? "")")
                #expect(outcome.acknowledgements.count == Self.transactions, "writer \(name) acknowledged \(outcome.acknowledgements.count)")
            }
            #expect(!readerOutcome.lines.contains { $0.hasPrefix("VIOLATION") || $0.hasPrefix("ERROR") }, "reader: \(readerOutcome.lines.filter { !$0.hasPrefix("CHECKED") }.prefix(5))")
            let busy = outcomes.map { $0.lines.filter { $0.hasPrefix("BUSY ") }.count }
            let checks = readerOutcome.lines.compactMap { $0.hasPrefix("CHECKED ") ? Int($0.dropFirst(8)) : nil }.max() ?? 0

            var acknowledged: [Int64: (set: String, commit: Acknowledgement.Commit)] = [:]
            for (name, outcome) in zip(sets, outcomes) {
                for acknowledgement in outcome.acknowledgements {
                    guard let commit = acknowledgement.commit else { continue }
                    #expect(acknowledged[commit.sequence] == nil, "sequence \(commit.sequence) acknowledged twice")
                    acknowledged[commit.sequence] = (name, commit)
                }
            }
            let store = try TranslationStore(path: path)
            let log = try store.log()
            #expect(Set(log.map(\.sequence)) == Set(acknowledged.keys), "the log's sequence numbers are not exactly the acknowledged ones")
            var mismatches: [String] = []
            for entry in log {
                guard let (name, commit) = acknowledged[entry.sequence] else { continue }
                if entry.setName != name || entry.generation != commit.generation || entry.digest != commit.digest {
                    mismatches.append("sequence \(entry.sequence): log \(entry.setName)@\(entry.generation) \(entry.digest), acknowledged \(name)@\(commit.generation) \(commit.digest)")
                }
            }
            #expect(mismatches.isEmpty, "\(mismatches.count) log rows differ from their acknowledgement: \(mismatches.prefix(5))")
            #expect(try store.check(deep: true).isSound)
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? NSNumber)?.int64Value ?? 0
            #expect(wal < 64 << 20, "the WAL grew to \(wal) bytes")
            for name in sets {
                let expected = ExpectedState(sets: [name]) { SoakTransaction(privateSeed: seed, set: name, number: $0) }
                try expected.advance(to: Int64(Self.transactions))
                #expect(try expected.differences(from: store).isEmpty, "seed \(seed): set \(name) differs from its model")
            }
            print("T9 seed \(seed): \(log.count) transactions by 2 writers, \(checks) reader checks, busy failures retried \(busy), \(mismatches.count) mismatches, WAL \(wal / 1024) KiB, "
                + String(format: "%.1f s", elapsed))
        }

        /// The retry the writers above rely on: a writer kept out by another process's lock for
        /// longer than the busy timeout prints BUSY, tries again, and commits once the lock is
        /// free. (The lock is taken once the writer has opened the store and committed once:
        /// opening needs the lock too, and fails as busy without a retry.)
        @Test func aBusyTransactionIsRetriedAndCommitsOnce() throws {
            let scratch = try Scratch()
            let path = scratch.path("store.sqlite")
            try TranslationStore(path: path, creatingIfMissing: true).createSet(named: "w1")
            let writer = try WorkerProcess(["writer", "--store", path, "--seed", "1", "--set", "w1", "--transactions", "10", "--pause-ms", "1000", "--retry-busy"])
            #expect(writer.waitForLine(startingWith: "ACK ", timeout: 30), "the writer never committed")
            let holder = try WorkerProcess(["hold-lock", "--store", path, "--set", "w1", "--seconds", "\(TranslationStore.busyTimeout + 2)"])
            defer { holder.kill() }
            #expect(holder.waitForLine(startingWith: "LOCKED", timeout: 30), "the worker never took the lock")
            let outcome = writer.wait()
            _ = holder.wait()
            print("T9 retry: \(outcome.lines.filter { !$0.hasPrefix("ACK ") })")
            #expect(outcome.status == 0 && !outcome.wasSignalled, "\(outcome.summary)")
            #expect(outcome.lines.contains { $0.hasPrefix("BUSY ") })
            #expect(outcome.acknowledgements.count == 10)
            #expect(try TranslationStore(path: path).log().map(\.sequence) == Array(1...10))
        }
    }
}
