import ArgumentParser
import CrashHarness
import Foundation

/// `mmu-crash-soak`: the kill -9 soak of the crash tests, for any number of kills.
@main
struct CrashSoak: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mmu-crash-soak",
        abstract: "Kill a writer (and a reader) of an MMUStore database with SIGKILL, again and again, checking every recovery.",
        discussion: """
            After every kill the store must open on the first try, pass check(deep: true), and hold exactly the \
            state after the last acknowledged transaction or after the one in flight. Exits 1 if any kill broke that, \
            or if fewer than --minimum-inside-share of the kills landed inside a write transaction or a commit.
            """)

    @Option(help: "How many kills.") var kills: Int = 10_000
    @Option(help: "The seed (default: random, printed).") var seed: UInt64?
    @Option(help: "The folder for the store (default: a new temporary folder, removed unless something failed).") var directory: String?
    @Option(help: "The shortest delay before a kill, in milliseconds.") var minimumDelay: Int = 5
    @Option(help: "The longest delay before a kill, in milliseconds.") var maximumDelay: Int = 250
    @Flag(help: "Run without the reader child.") var noReader = false
    @Option(help: "The share of kills that must land inside a write transaction or a commit.") var minimumInsideShare: Double = 0.3
    @Option(help: "Instead of killing a writer, run this many hostile files (T6/T7) through the safe opener.") var hostileFiles: Int?

    func validate() throws {
        guard kills > 0 else { throw ValidationError("--kills must be positive") }
        guard minimumDelay >= 0, maximumDelay >= minimumDelay else { throw ValidationError("need 0 <= --minimum-delay <= --maximum-delay") }
    }

    func run() throws {
        if let hostileFiles {
            try runHostileFiles(hostileFiles)
            return
        }
        let seed = seed ?? UInt64.random(in: 0...UInt64.max)
        let folder = directory.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("mmu-crash-soak-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = KillSoak.Configuration(kills: kills, seed: seed, directory: folder)
        configuration.delays = minimumDelay...maximumDelay
        configuration.withReader = !noReader
        print("soak: \(kills) kills, seed \(seed), store \(folder.path)/soak.sqlite")
        let terminal = isatty(STDERR_FILENO) == 1
        var lastPrinted = Date.distantPast
        var reported = 0
        let report = try KillSoak(configuration).run { report in
            while reported < report.violations.count {
                FileHandle.standardError.write(Data(((terminal ? "\r\u{1B}[K" : "") + "VIOLATION \(report.violations[reported])\n").utf8))
                reported += 1
            }
            let now = Date()
            guard terminal ? now.timeIntervalSince(lastPrinted) > 0.2 || report.kills == kills : report.kills % 100 == 0 else { return }
            lastPrinted = now
            let rate = Double(report.kills) / max(report.wallTime, 0.001)
            let remaining = Double(kills - report.kills) / max(rate, 0.001)
            let line = String(
                format: "%d/%d kills  %d violations  %lld acknowledged  %.1f kills/s  ETA %.0f s",
                report.kills, kills, report.violations.count, report.acknowledged, rate, remaining)
            FileHandle.standardError.write(Data(((terminal ? "\r\u{1B}[K" : "") + line + (terminal ? "" : "\n")).utf8))
        }
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
        print("summary: \(report)")
        let placement = report.placementProblems(minimumInsideShare: minimumInsideShare)
        for problem in placement { print("kill placement: \(problem)") }
        if report.violations.isEmpty && placement.isEmpty {
            if directory == nil { try? FileManager.default.removeItem(at: folder) }
        } else {
            if !report.violations.isEmpty {
                print("violations:")
                for violation in report.violations { print("  \(violation)") }
            }
            print("the store is kept at \(folder.path)/soak.sqlite")
            throw ExitCode(1)
        }
    }

    /// T6/T7 at any size: a corpus of `count` malformed and hostile files, each opened, checked,
    /// read and diffed in a child process that must never crash or hang.
    func runHostileFiles(_ count: Int) throws {
        let seed = seed ?? UInt64.random(in: 0...UInt64.max)
        let folder = directory.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("mmu-hostile-\(UUID().uuidString)")
        let corpus = folder.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        let template = folder.appendingPathComponent("template.sqlite").path
        try HostileCorpus.makeTemplate(at: template)
        print("hostile files: \(count), seed \(seed), in \(folder.path)")
        let terminal = isatty(STDERR_FILENO) == 1
        var report = HostileFileRun.Report()
        var done = 0
        while done < count {
            let batch = min(5_000, count - done)
            let batchFolder = corpus.appendingPathComponent("\(done)")
            try FileManager.default.createDirectory(at: batchFolder, withIntermediateDirectories: true)
            let mutants = try HostileCorpus.build(template: template, into: batchFolder, count: batch, seed: seed &+ UInt64(done))
            let part = try HostileFileRun(template: template, mutants: mutants, directory: batchFolder).run { finished in
                let line = "\(done + finished)/\(count) files  \(report.violations.count) violations"
                FileHandle.standardError.write(Data(((terminal ? "\r\u{1B}[K" : "") + line + (terminal ? "" : "\n")).utf8))
            }
            for (kind, outcomes) in part.outcomes {
                for (outcome, number) in outcomes { report.outcomes[kind, default: [:]][outcome, default: 0] += number }
            }
            report.violations += part.violations
            report.files += part.files
            report.slowest = max(report.slowest, part.slowest)
            report.seconds += part.seconds
            if part.violations.isEmpty { try? FileManager.default.removeItem(at: batchFolder) }
            done += batch
        }
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
        print(String(format: "summary: %d files, %d violations, slowest %.2f s, %.1f s", report.files, report.violations.count, report.slowest, report.seconds))
        for (kind, outcomes) in report.outcomes.sorted(by: { $0.key < $1.key }) {
            print("  \(kind): " + outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        if report.violations.isEmpty {
            if directory == nil { try? FileManager.default.removeItem(at: folder) }
        } else {
            print("violations:")
            for violation in report.violations { print("  \(violation)") }
            throw ExitCode(1)
        }
    }
}
