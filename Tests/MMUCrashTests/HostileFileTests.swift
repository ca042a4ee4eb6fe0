import CrashHarness
import Foundation
import MMUStore
import Testing

extension CrashTests {
    /// T6/T7 (RELIABILITY.md §8): 2,000 malformed and hostile files made from a valid store go
    /// through the safe opener, then a check, a read of every set and snapshot, and a diff, in a
    /// child process: none may crash or hang it, every hostile kind must be rejected (with a
    /// typed error naming its stage), a file accepted must read exactly as the original
    /// (changed-but-valid content is caught by the content digests), and no side file may
    /// appear next to any of them.
    @Suite struct HostileFileTests {
        @Test func twoThousandHostileFilesAreRejectedOrReadExactly() throws {
            let scratch = try Scratch()
            let template = scratch.path("template.sqlite")
            try HostileCorpus.makeTemplate(at: template)
            let corpus = scratch.directory.appendingPathComponent("corpus")
            try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
            let seed = UInt64.random(in: 0...UInt64.max)
            let mutants = try HostileCorpus.build(template: template, into: corpus, count: 2_000, seed: seed)
            let report = try HostileFileRun(template: template, mutants: mutants, directory: scratch.directory).run()
            #expect(report.files == 2_000)
            #expect(report.violations.isEmpty, "seed \(seed): \(report.violations.count) violations: \(report.violations.prefix(10))")
            for kind in HostileCorpus.Kind.allCases where kind.mustBeRejected {
                #expect(report.outcomes[kind.rawValue]?["accepted"] == nil, "seed \(seed): \(kind.rawValue) accepted")
            }
            let table = report.outcomes.sorted { $0.key < $1.key }.map { kind, outcomes in
                "\(kind): " + outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            }
            print("T6/T7 seed \(seed): \(report.files) files, \(report.violations.count) violations, slowest \(String(format: "%.2f", report.slowest)) s, "
                + String(format: "%.1f s\n  ", report.seconds) + table.joined(separator: "\n  "))
        }
    }
}
