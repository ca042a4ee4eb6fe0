import Foundation

/// Runs the `untrusted` worker over a hostile corpus, restarting it after a crash or a hang,
/// and tallies what became of each file.
public struct HostileFileRun {
    /// What became of the corpus.
    public struct Report: Sendable {
        /// Files per kind and outcome (`accepted`, `rejected STAGE`, `different …`, `crash`, `hang`, `untyped …`).
        public var outcomes: [String: [String: Int]] = [:]
        /// Every violation: a crash, a hang, an untyped error, a changed file accepted, a hostile
        /// kind accepted, a side file created.
        public var violations: [String] = []
        /// Files run.
        public var files = 0
        /// Seconds the slowest file took.
        public var slowest: Double = 0
        /// Seconds for the whole run.
        public var seconds: Double = 0

        /// An empty report.
        public init() {}
    }

    let template: String
    let mutants: [HostileCorpus.Mutant]
    let directory: URL
    /// Seconds a file may take before the worker is killed and the file counted as a hang.
    public var perFileLimit: Double = 30

    /// Prepares a run of `mutants` of `template`, listed in `directory`.
    public init(template: String, mutants: [HostileCorpus.Mutant], directory: URL) {
        self.template = template
        self.mutants = mutants
        self.directory = directory
    }

    /// Runs every file; `progress` gets the number done now and then.
    public func run(progress: ((Int) -> Void)? = nil) throws -> Report {
        let list = directory.appendingPathComponent("corpus.list")
        try mutants.map(\.path).joined(separator: "\n").write(to: list, atomically: true, encoding: .utf8)
        let folders = Set(mutants.map { URL(fileURLWithPath: $0.path).deletingLastPathComponent().path })
        let before = try Self.listing(folders)
        var report = Report()
        let started = Date()
        var next = 0
        while next < mutants.count {
            let worker = try WorkerProcess(["untrusted", "--template", template, "--list", list.path, "--from", "\(next)"])
            var current: (index: Int, since: Date)?
            var consumed = 0
            var ended: WorkerProcess.Outcome?
            while true {
                if !worker.isRunning { ended = worker.wait() }
                let lines = ended?.lines ?? worker.linesSoFar
                for line in lines.dropFirst(consumed) {
                    let words = line.split(separator: " ", maxSplits: 2).map(String.init)
                    if words.first == "BEGIN", words.count > 1, let index = Int(words[1]) {
                        current = (index, Date())
                    } else if words.first == "RESULT", words.count > 2, let index = Int(words[1]) {
                        record(words[2], of: index, into: &report, seconds: current.map { Date().timeIntervalSince($0.since) } ?? 0)
                        current = nil
                        next = index + 1
                        if next % 100 == 0 { progress?(next) }
                    } else if line == "DONE" {
                        next = mutants.count
                    }
                }
                consumed = lines.count
                if let ended {
                    if next < mutants.count {
                        let index = current?.index ?? next
                        record("crash \(ended.summary)", of: index, into: &report, seconds: 0)
                        next = index + 1
                    }
                    break
                }
                if let current, Date().timeIntervalSince(current.since) > perFileLimit {
                    worker.kill()
                    _ = worker.wait()
                    record("hang", of: current.index, into: &report, seconds: perFileLimit)
                    next = current.index + 1
                    break
                }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        let after = try Self.listing(folders)
        for created in after.subtracting(before).sorted() { report.violations.append("side file created: \(created)") }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    private func record(_ outcome: String, of index: Int, into report: inout Report, seconds: Double) {
        let mutant = mutants[index]
        let word = outcome.split(separator: " ").first.map(String.init) ?? outcome
        let key = word == "rejected" ? outcome : word
        report.outcomes[mutant.kind.rawValue, default: [:]][key, default: 0] += 1
        report.files += 1
        report.slowest = max(report.slowest, seconds)
        switch word {
        case "accepted":
            if mutant.kind.mustBeRejected { report.violations.append("\(mutant.path) (\(mutant.detail)) was accepted") }
        case "rejected":
            break
        default:
            report.violations.append("\(mutant.path) (\(mutant.detail)): \(outcome)")
        }
    }

    private static func listing(_ folders: Set<String>) throws -> Set<String> {
        var result = Set<String>()
        for folder in folders {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) { result.insert(folder + "/" + name) }
        }
        return result
    }
}
