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
