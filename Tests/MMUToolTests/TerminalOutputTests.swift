import Foundation
import Testing

/// Output for people: progress on a terminal and nothing extra elsewhere; aligned tables.
struct TerminalOutputTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/MMUDemo/Fixtures").standardizedFileURL
    static let lackey = fixtures.appendingPathComponent("lackey-demo.lackey").path
    static let layout = fixtures.appendingPathComponent("lackey-demo.maps").path

    /// A database with a set `p` and a JSON-lines file of `count` entries, `entries.jsonl`.
    static func prepare(_ runner: ToolRunner, count: Int) throws {
        try runner.succeed(["init"])
        try runner.succeed(["sets", "create", "p", "--architecture", "x86_64-4level"])
        try runner.succeed(["map", "p", "0x400000", "0x1000", "--count", "64"])
        try runner.succeed(["snapshot", "p", "base"])
        try runner.succeed(["protect", "p", "0x400000", "16K", "r--u"])
        let lines = (0..<count).map { #"{"va":"0x\#(String(0x1000_0000 + $0 << 12, radix: 16))","pa":"0x\#(String($0 << 12, radix: 16))","protection":"rw-u"}"# }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: runner.directory.appendingPathComponent("entries.jsonl"))
    }

    /// The commands with long work, as a user types them.
    static let longWork: [[String]] = [
        ["import", "q", "--entries", "entries.jsonl"],
        ["simulate", lackey, "--layout", layout, "--name", "s"],
        ["simulate", lackey, "--layout", layout, "--name", "g", "--group-commit", "4"],
        ["export", "p", "-f", "x86_64-4level", "-o", "image"],
        ["check", "--deep"],
        ["diff", "p@base", "p"],
    ]

    @Test func longWorkPrintsNothingExtraWhenStandardErrorIsNotATerminal() throws {
        let runner = try ToolRunner()
        try Self.prepare(runner, count: 3000)
        for arguments in Self.longWork {
            let result = try runner.run(arguments)
            #expect(result.status == (arguments[0] == "diff" ? 1 : 0), "mmu \(arguments): \(result.error)")
            #expect(result.error.isEmpty, "mmu \(arguments) wrote to a standard error that is not a terminal: \(result.error)")
            #expect(!result.output.contains("\u{1B}"), "mmu \(arguments) wrote terminal controls to a pipe")
        }
    }

    /// Under `script` (util-linux), standard error is a terminal: the progress line appears,
    /// with a percentage, a rate and the time left where the total is known.
    @Test func longWorkShowsProgressOnATerminal() throws {
        let runner = try ToolRunner()
        try Self.prepare(runner, count: 3000)
        let expected = [
            "import": ["reading entries.jsonl 0% (0 of ", " bytes, 0 bytes/s, time left unknown)", "writing 3000 entries to set 'q'"],
            "simulate": ["checking every line of the traces before simulating", "simulating 100% (55795 of 55795 lines", "lines/s, 0 s left); ", "pages resident, ", " accesses/s"],
            "export": ["exporting p as x86_64-4level to image"],
            "check": ["checking mmu.sqlite (integrity_check and the store's invariants)"],
            "diff": ["comparing p@base with p"],
        ]
        for arguments in Self.longWork {
            let text = try Self.onTerminal(arguments, in: runner)
            #expect(text.contains("\r\u{1B}[K"), "mmu \(arguments) on a terminal: \(text)")
            // Grouped, only what a commit made durable is acknowledged.
            let committed = arguments.contains("--group-commit") ? "writes durable" : "15 transactions"
            for fragment in (expected[arguments[0]] ?? []) + (arguments[0] == "simulate" ? [committed] : []) {
                #expect(text.contains(fragment), "mmu \(arguments) on a terminal lacks '\(fragment)': \(text)")
            }
        }
    }

    /// Names from elsewhere reach the terminal with their control characters escaped: a file
    /// named with an escape sequence cannot retitle or repaint the user's terminal.
    @Test func progressEscapesControlCharactersInNames() throws {
        let runner = try ToolRunner()
        try Self.prepare(runner, count: 10)
        let hostile = "evil\u{1B}]0;owned\u{07}\u{1B}[2J.jsonl"
        try FileManager.default.copyItem(
            at: runner.directory.appendingPathComponent("entries.jsonl"), to: runner.directory.appendingPathComponent(hostile))
        let text = try Self.onTerminal(["import", "q", "--entries", hostile], in: runner)
        #expect(text.contains(#"reading evil\u{1B}]0;owned\u{7}\u{1B}[2J.jsonl 0%"#), "\(text)")
        #expect(!text.contains("\u{1B}]0;") && !text.contains("\u{1B}[2J"), "\(text)")
    }

    /// The bytes `mmu arguments…` writes to a terminal (util-linux `script` gives it one).
    static func onTerminal(_ arguments: [String], in runner: ToolRunner) throws -> String {
        let script = "/usr/bin/script"
        try #require(FileManager.default.isExecutableFile(atPath: script), "util-linux's script is needed to give mmu a terminal")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        let command = ([ToolRunner.executable.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        process.arguments = ["-qec", command, "/dev/null"]
        process.currentDirectoryURL = runner.directory
        var environment = ProcessInfo.processInfo.environment
        environment["MMU_DATABASE"] = nil
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text
    }

    /// A long message in `stats --tables` spans the columns instead of widening one: every
    /// figure ends under its heading, and the heading is as wide as the widest row of figures.
    @Test func statsTablesStayAlignedWithLongCells() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try runner.succeed(["sets", "create", "p"])
        try runner.succeed(["map", "p", "0x400000", "0x1000", "--count", "600"])
        try runner.succeed(["map", "p", "0x40000000", "0x40000000", "-s", "1G"])
        let text = try runner.succeed(["stats", "p", "--tables", "i386,x86_64-5level,ia64-vhpt-short,ppc64-hpt,aarch64-4k-48"])
        let lines = text.split(separator: "\n").map(String.init)
        let header = try #require(lines.first { $0.contains("FORMAT") })
        let rows = lines.drop { !$0.contains("FORMAT") }.dropFirst().prefix { $0.hasPrefix("  ") }
        let figures = rows.filter { !$0.contains("cannot encode") }
        #expect(figures.count == 2 && rows.count == 5, "\(text)")
        let messages = rows.filter { $0.contains("cannot encode") }.map(\.count)
        #expect(header.count < messages.min() ?? 0, "a message widened the columns:\n\(text)")
        let headings = ["TABLE PAGES", "BYTES", "FILL", "LOAD", "PROBES"].map { header.range(of: $0)!.upperBound.utf16Offset(in: header) }
        for row in figures {
            #expect(row.count == header.count, "\(row)\n\(header)")
            let cells = row.split(separator: "  ", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            var from = try #require(row.range(of: cells[0])).upperBound
            for (column, cell) in cells.dropFirst().enumerated() {
                let range = try #require(row.range(of: cell, range: from..<row.endIndex))
                #expect(range.upperBound.utf16Offset(in: row) == headings[column], "'\(cell)' is not under its heading:\n\(header)\n\(row)")
                from = range.upperBound
            }
        }
    }
}
