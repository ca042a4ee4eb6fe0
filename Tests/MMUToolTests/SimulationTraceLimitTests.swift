import Foundation
import Testing

/// `mmu simulate` on a trace with a very long bad line: a short, escaped message, quickly.
struct SimulationTraceLimitTests {
    @Test func aTenMegabyteBadLineGivesAShortMessageQuickly() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        let trace = runner.directory.appendingPathComponent("long.lackey")
        try Data(("==1== banner\n L 00400000,8\n L 0040" + String(repeating: "\u{1b}[2J", count: 2_500_000) + "\n").utf8).write(to: trace)
        let clock = ContinuousClock()
        let start = clock.now
        let failed = try runner.run(["simulate", trace.path])
        #expect(clock.now - start < .seconds(5))
        #expect(failed.status == 1)
        #expect(failed.error.utf8.count < 1_500, "\(failed.error.utf8.count) bytes")
        #expect(failed.error.contains("long.lackey:3: the line is 10000007 bytes long"), "\(failed.error.prefix(300))")
        #expect(!failed.error.contains("\u{1b}"))
        #expect(try runner.succeed(["sets"]).contains("no sets"))
        let layout = runner.directory.appendingPathComponent("long.maps")
        try Data("00400000-00500000 rw-p 00000000 00:00 0 [heap]\n".utf8).write(to: layout)
        let skipped = try runner.succeed(["simulate", trace.path, "--layout", layout.path, "--skip-bad-lines"])
        #expect(skipped.contains("1 bad line skipped"), "\(skipped)")
    }
}
