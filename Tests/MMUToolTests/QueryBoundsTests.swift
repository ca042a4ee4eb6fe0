import Foundation
import Testing

/// `mmu sql` within bounds: a huge value, an endless wide result and a trailing comment.
struct QueryBoundsTests {
    func store() throws -> ToolRunner {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try runner.succeed(["sets", "create", "p"])
        try runner.succeed(["map", "p", "0x400000", "0x1000", "--count", "3"])
        return runner
    }

    @Test func aHugeValueStopsAtTheValueLimitAndSaysSo() throws {
        let runner = try store()
        for size in ["1000000000", "100000000"] {
            let started = Date()
            let result = try runner.run(["sql", "SELECT randomblob(\(size))"])
            #expect(result.status == 1, "randomblob(\(size)) exited \(result.status)")
            #expect(result.error.contains("16 MiB per value"), "\(result.error)")
            #expect(Date().timeIntervalSince(started) < 10)
        }
    }

    /// Ctrl-C (SIGINT) ends an endless query at once, not at its timeout, and leaves no side file.
    ///
    /// The child is spawned with SIGINT at its default action and unblocked, as a terminal's
    /// foreground job has it (a test runner may have it ignored or blocked).
    @Test func anInterruptEndsAnEndlessQueryAtOnce() throws {
        let runner = try store()
        let before = try FileManager.default.contentsOfDirectory(atPath: runner.directory.path).sorted()
        let arguments = [
            ToolRunner.executable.path, "sql", "-d", runner.directory.appendingPathComponent("mmu.sqlite").path,
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c",
        ]
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var files = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&files)
        defer { posix_spawn_file_actions_destroy(&files) }
        posix_spawn_file_actions_addopen(&files, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&files, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        #expect(posix_spawn(&pid, arguments[0], &files, &attributes, argv, environ) == 0)
        Thread.sleep(forTimeInterval: 1)
        var status: Int32 = 0
        #expect(waitpid(pid, &status, WNOHANG) == 0, "the endless query ended by itself")
        let interrupted = Date()
        kill(pid, SIGINT)
        waitpid(pid, &status, 0)
        #expect(Date().timeIntervalSince(interrupted) < 2, "the query ran on after Ctrl-C")
        #expect(status & 0x7F == SIGINT, "wait status \(status)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: runner.directory.path).sorted() == before)
    }

    @Test func anEndlessWideResultStopsAtTheResultLimitAndSaysSo() throws {
        let runner = try store()
        let started = Date()
        let result = try runner.run([
            "sql", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x, randomblob(5000) AS b FROM c", "--timeout", "30",
        ])
        #expect(result.status == 1)
        #expect(result.error.contains("the result passed mmu sql's limit of 256 MiB"), "\(result.error)")
        #expect(Date().timeIntervalSince(started) < 30)
        let endless = try runner.run(["sql", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c", "--timeout", "2"])
        #expect(endless.status == 1)
        #expect(endless.error.contains("did not finish within 2 s"), "\(endless.error)")
    }

    @Test func aTrailingCommentIsNotASecondStatement() throws {
        let runner = try store()
        #expect(try runner.succeed(["sql", "SELECT count(*) AS n FROM liveEntry -- how many", "--csv"]) == "n\n3\n")
        #expect(try runner.succeed(["sql", "SELECT count(*) AS n FROM liveEntry; /* done */ ;", "--csv"]) == "n\n3\n")
        let two = try runner.run(["sql", "SELECT 1; -- then\nSELECT 2"])
        #expect(two.status == 1)
        #expect(two.error.contains("one statement at a time"), "\(two.error)")
    }

    @Test func aDoubleQuotedStringIsExplained() throws {
        let runner = try store()
        let result = try runner.run(["sql", #"SELECT count(*) FROM translationSet WHERE name = "p""#])
        #expect(result.status == 1)
        #expect(result.error.contains("no such column: p"), "\(result.error)")
        #expect(result.error.contains("double quotes name columns and tables; write 'p' in single quotes for a string"), "\(result.error)")
    }
}
