import Foundation
import MMUCore
import MMUStore
import MMUTestSupport

/// The kill -9 soak (RELIABILITY.md T4): a writer child commits deterministic random
/// transactions while a reader child checks the store; the writer is killed with SIGKILL at a
/// random time, the reader every other time or so; after every kill the parent opens the store
/// once, checks it deeply and compares it with its expected state: it must be exactly the state
/// after the last acknowledged transaction or after the one in flight.
///
/// The writer marks its transaction boundaries in a shared boundary file
/// (``TransactionBoundary``), so the soak knows where each kill landed: while the writer was
/// starting, between transactions, inside a write transaction or inside a commit. A soak
/// whose kills do not land inside transactions tests nothing; ``Report/placementProblems(minimumInsideShare:)``
/// says so.
public struct KillSoak {
    /// How to run a soak.
    public struct Configuration: Sendable {
        /// How many times to kill the writer.
        public var kills: Int
        /// The seed of the transactions, delays and reader kills.
        public var seed: UInt64
        /// A folder of its own for the store.
        public var directory: URL
        /// The range of the delay before each kill, in milliseconds.
        public var delays: ClosedRange<Int> = 5...250
        /// Whether a reader child runs beside the writer.
        public var withReader = true
        /// The writer compacts both sets every this many transactions (bounding history).
        public var compactEvery = 50
        /// The size the WAL must stay below.
        public var walLimit: Int64 = 64 << 20

        /// Creates a configuration.
        public init(kills: Int, seed: UInt64, directory: URL) {
            self.kills = kills
            self.seed = seed
            self.directory = directory
        }
    }

    /// What a soak found.
    public struct Report: Sendable, CustomStringConvertible {
        /// Kills done.
        public var kills = 0
        /// Every violated invariant, naming the kill and what differed.
        public var violations: [String] = []
        /// Transactions acknowledged by the writers.
        public var acknowledged: Int64 = 0
        /// Kills after which the store held one more transaction than was acknowledged (the
        /// one in flight had committed): allowed only for a kill that landed inside a commit.
        public var committedInFlight = 0
        /// Kills after which the store held a transaction that an earlier writer was killed
        /// inside the commit of, and that the recoveries after that kill did not show: its
        /// frames were whole in the WAL but not in the WAL index another process kept open,
        /// and a later recovery, with no transaction written over them meanwhile, found them.
        public var lateCommits = 0
        /// How many kills landed at each boundary, as the writer marked it.
        public var placements: [TransactionBoundary: Int] = [:]
        /// The last sequence number in the store.
        public var sequence: Int64 = 0
        /// Checks the reader completed, over every reader.
        public var readerChecks = 0
        /// The largest `-wal` file seen after a kill, in bytes.
        public var largestWAL: Int64 = 0
        /// Seconds since the soak started.
        public var wallTime: Double = 0

        /// The share of kills that landed inside a write transaction or inside a commit.
        public var insideShare: Double {
            kills == 0 ? 0 : Double(placements[.inTransaction, default: 0] + placements[.committing, default: 0]) / Double(kills)
        }

        /// Why this soak's kills prove too little: fewer than `minimumInsideShare` of them
        /// landed inside a write transaction or a commit, or none inside a commit (where a
        /// transaction may or may not survive). Empty when the kills are well placed.
        public func placementProblems(minimumInsideShare: Double) -> [String] {
            var problems: [String] = []
            if insideShare < minimumInsideShare {
                problems.append(
                    String(format: "only %.1f%% of the kills landed inside a transaction or a commit, below the %.0f%% bound", insideShare * 100, minimumInsideShare * 100)
                        + " (\(placementSummary))")
            }
            if placements[.committing, default: 0] == 0 { problems.append("no kill landed inside a commit (\(placementSummary))") }
            return problems
        }

        /// `starting N, between N, in transaction N, committing N`.
        public var placementSummary: String {
            TransactionBoundary.allCases.map { "\($0) \(placements[$0, default: 0])" }.joined(separator: ", ")
        }

        /// One line: kills, where they landed, violations, transactions, wall time.
        public var description: String {
            "kills \(kills) (\(placementSummary)), violations \(violations.count), acknowledged \(acknowledged), committed in flight \(committedInFlight), late commits \(lateCommits), "
                + "sequence \(sequence), reader checks \(readerChecks), largest WAL \(largestWAL / 1024) KiB, "
                + String(format: "wall time %.1f s", wallTime)
        }
    }

    /// The configuration.
    public let configuration: Configuration

    /// Creates a soak.
    public init(_ configuration: Configuration) {
        self.configuration = configuration
    }

    /// Runs the soak, calling `progress` after every kill.
    ///
    /// - Throws: ``HarnessError`` when the store cannot be set up or a worker cannot start.
    public func run(progress: (Report) -> Void = { _ in }) throws(HarnessError) -> Report {
        let started = Date()
        let path = configuration.directory.appendingPathComponent("soak.sqlite").path
        let boundaries = configuration.directory.appendingPathComponent("soak.boundary").path
        do {
            let store = try TranslationStore(path: path, creatingIfMissing: true)
            for name in SoakTransaction.soakSets { try store.createSet(named: name) }
        } catch {
            throw HarnessError("cannot create the soak store at \(path): \(error)")
        }
        let seed = configuration.seed
        let expected = ExpectedState(sets: SoakTransaction.soakSets) { SoakTransaction(soakSeed: seed, number: $0) }
        var random = SplitMix64(seed: seed)
        var report = Report()
        var reader: WorkerProcess?
        var acknowledged: Int64 = 0
        /// A transaction a writer was killed inside the commit of, which the recovery did not show.
        var interruptedCommit: Int64?
        for kill in 1...max(1, configuration.kills) {
            if configuration.withReader && reader == nil {
                reader = try WorkerProcess(["reader", "--store", path])
            }
            try TransactionBoundary.reset(at: boundaries)
            let writer = try WorkerProcess([
                "writer", "--store", path, "--seed", "\(seed)", "--compact-every", "\(configuration.compactEvery)",
                "--boundaries", boundaries,
            ])
            let span = UInt64(configuration.delays.upperBound - configuration.delays.lowerBound + 1)
            let delay = configuration.delays.lowerBound + Int(random.next() % span)
            Thread.sleep(forTimeInterval: Double(delay) / 1000)
            writer.kill()
            let outcome = writer.wait()
            var problems: [String] = []
            let (boundary, transaction) = try TransactionBoundary.read(at: boundaries)
            report.placements[boundary, default: 0] += 1
            if !outcome.wasSignalled {
                problems.append("the writer ended before it was killed: \(outcome.summary)")
            }
            for acknowledgement in outcome.acknowledgements {
                guard let commit = acknowledgement.commit, commit.sequence == acknowledged + 1 else {
                    problems.append("acknowledgement \(acknowledgement) does not follow sequence \(acknowledged)")
                    break
                }
                acknowledged = commit.sequence
                do {
                    try expected.advance(to: acknowledged)
                } catch {
                    problems.append(error.description)
                }
                let set = SoakTransaction(soakSeed: seed, number: acknowledged).setName
                if expected.digest(of: set) != commit.digest {
                    problems.append("transaction \(acknowledged) was acknowledged with digest \(String(commit.digest, radix: 16)), the model has \(String(expected.digest(of: set), radix: 16))")
                }
            }
            if random.next() % 2 == 0, let running = reader {
                running.kill()
                problems += Self.readerFindings(running.wait(), into: &report)
                reader = nil
            }
            let current = transaction == acknowledged + 1 || (boundary == .committing && transaction == acknowledged)
            if boundary == .inTransaction || boundary == .committing, !current {
                problems.append("the writer was killed \(boundary) of transaction \(transaction), but \(acknowledged) was the last acknowledged")
            }
            let (found, recovered) = verify(
                path: path, acknowledged: acknowledged, boundary: boundary, interruptedCommit: interruptedCommit, expected: expected,
                report: &report)
            if boundary == .committing, let recovered, recovered < transaction {
                interruptedCommit = transaction
            } else if let recovered, let interrupted = interruptedCommit, recovered >= interrupted {
                interruptedCommit = nil
            }
            problems += found
            if let recovered { acknowledged = max(acknowledged, recovered) }
            report.kills = kill
            report.acknowledged = acknowledged
            report.violations += problems.map { "kill \(kill) (after \(delay) ms): \($0)" }
            report.wallTime = Date().timeIntervalSince(started)
            progress(report)
        }
        if let running = reader {
            running.kill()
            report.violations += Self.readerFindings(running.wait(), into: &report).map { "final reader: \($0)" }
        }
        report.wallTime = Date().timeIntervalSince(started)
        return report
    }

    /// Opens the store once after a kill and checks I1–I4 against the expected state; moves
    /// the expected state to the recovered sequence, which it returns when that is one the
    /// next writer may go on from (the last acknowledged or the one in flight).
    ///
    /// A transaction may only have committed unacknowledged when the writer was killed at
    /// `boundary` ``TransactionBoundary/committing``, or when it is `interruptedCommit`, the
    /// transaction an earlier writer was killed inside the commit of (a late commit).
    private func verify(
        path: String, acknowledged: Int64, boundary: TransactionBoundary, interruptedCommit: Int64?, expected: ExpectedState,
        report: inout Report
    ) -> ([String], Int64?) {
        var problems: [String] = []
        var recovered: Int64?
        do {
            let store = try TranslationStore(path: path)
            let check = try store.check(deep: true)
            problems += check.problems.map { "check(deep: true): \($0)" }
            let sequence = try store.lastSequence()
            report.sequence = sequence
            if sequence < acknowledged {
                problems.append("acknowledged transaction lost: the store is at sequence \(sequence), \(acknowledged) was acknowledged")
            } else if sequence > acknowledged + 1 {
                problems.append("phantom transactions: the store is at sequence \(sequence), only \(acknowledged) was acknowledged")
            } else {
                if sequence == acknowledged + 1 {
                    if boundary == .committing {
                        report.committedInFlight += 1
                    } else if sequence == interruptedCommit {
                        report.lateCommits += 1
                    } else {
                        problems.append("transaction \(sequence) committed though the writer was killed \(boundary), before sending COMMIT")
                    }
                }
                try expected.advance(to: sequence)
                recovered = sequence
                problems += try expected.differences(from: store)
            }
        } catch {
            problems.append("recovery failed: \(error)")
        }
        let walSize = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? NSNumber)?.int64Value ?? 0
        report.largestWAL = max(report.largestWAL, walSize)
        if walSize >= configuration.walLimit {
            problems.append("the WAL is \(walSize) bytes, over the \(configuration.walLimit) bound")
        }
        return (problems, recovered)
    }

    /// The violations a killed reader printed; counts its checks.
    private static func readerFindings(_ outcome: WorkerProcess.Outcome, into report: inout Report) -> [String] {
        var problems: [String] = []
        var checks = 0
        for line in outcome.lines {
            if line.hasPrefix("VIOLATION ") { problems.append("reader saw: \(line.dropFirst(10))") }
            if line.hasPrefix("ERROR ") { problems.append("reader failed: \(line.dropFirst(6))") }
            if line.hasPrefix("CHECKED "), let count = Int(line.dropFirst(8)) { checks = max(checks, count) }
        }
        if !outcome.wasSignalled { problems.append("the reader ended before it was killed: \(outcome.summary)") }
        report.readerChecks += checks
        return problems
    }
}
