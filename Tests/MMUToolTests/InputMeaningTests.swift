import Foundation
import Testing

/// Inputs that once were accepted and did something other than what the user meant: each is now
/// refused with the spelling that works (and changes nothing), or has one documented meaning.
struct InputMeaningTests {
    /// A database with the set `p` (x86_64-4level) holding one page at 0x400000, and a snapshot.
    static func prepared() throws -> ToolRunner {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try runner.succeed(["sets", "create", "p", "--architecture", "x86_64-4level"])
        try runner.succeed(["map", "p", "0x400000", "0x1000", "-p", "rw-u"])
        try runner.succeed(["snapshot", "p", "start"])
        return runner
    }

    /// Runs each command, expects it refused with its message, and the database unchanged.
    static func expectRefused(_ cases: [(arguments: [String], input: String?, message: String)], in runner: ToolRunner) throws {
        let before = try runner.state()
        for (arguments, input, message) in cases {
            let result = try runner.run(arguments, input: input)
            #expect(result.status != 0, "mmu \(arguments) succeeded: \(result.output)")
            #expect(result.error.contains(message), "mmu \(arguments): \(result.error)")
        }
        #expect(try runner.state() == before)
    }

    @Test func protectionsAreFourPositionsEverywhere() throws {
        let runner = try Self.prepared()
        let batch = #"{"op":"protect","va":"0x400000","length":"0x1000","protection":"rw"}"#
        let entry = #"{"va":"0x800000","pa":"0x2000","protection":"rw"}"#
        try Self.expectRefused([
            (["map", "p", "0x600000", "0x2000", "-p", "rw"], nil, "'rw' is not a protection: write four positions rwxu with - for an absent right, e.g. rw-u for user pages or rw-- for kernel pages"),
            (["map", "p", "0x600000", "0x2000", "-p", ""], nil, "'' is not a protection"),
            (["map", "p", "0x600000", "0x2000", "-p", "r-x-u"], nil, "'r-x-u' is not a protection: write four positions rwxu with - for an absent right, e.g. r-xu"),
            (["protect", "p", "0x400000", "4K", ""], nil, "'' is not a protection"),
            (["protect", "p", "0x400000", "4K", "rx"], nil, "e.g. r-xu for user pages or r-x- for kernel pages"),
            (["apply", "p"], batch, "<stdin>:1: 'rw' is not a protection"),
            (["import", "p", "--entries", "-"], entry, "<stdin>:1: 'rw' is not a protection"),
        ], in: runner)
        try runner.succeed(["map", "p", "0x600000", "0x2000", "-p", "r-x-"])
        let shown = try runner.succeed(["show", "p"])
        #expect(shown.contains("0x600000-0x601000") && shown.contains("r-x-"), "\(shown)")
    }

    @Test func sizesAndLengthsHaveOneParserAndRefuseDecimalUnits() throws {
        let runner = try Self.prepared()
        try Self.expectRefused([
            (["unmap", "p", "0x400000", "4KB"], nil, "'4KB' is ambiguous (4,000 or 4,096 bytes): write 4KiB or 4K"),
            (["protect", "p", "0x400000", "4kb", "r--u"], nil, "'4kb' is ambiguous"),
            (["map", "p", "0x600000", "0x200000", "-s", "2MB"], nil, "'2MB' is ambiguous (2,000,000 or 2,097,152 bytes): write 2MiB or 2M"),
            (["apply", "p"], #"{"op":"unmap","va":"0x400000","length":"4KB"}"#, "<stdin>:1: '4KB' is ambiguous"),
            (["import", "p", "--entries", "-"], #"{"va":"0x800000","pa":"0x2000","size":"4KB","protection":"rw-u"}"#, "<stdin>:1: '4KB' is ambiguous"),
        ], in: runner)
        // The same spellings work on the command line and in a batch.
        try runner.succeed(["apply", "p"], input: #"{"op":"protect","va":"0x400000","length":"4KiB","protection":"r--u"}"#)
        try runner.succeed(["unmap", "p", "0x400000", "4K"])
        #expect(try runner.succeed(["show", "p", "--json"]).isEmpty)
    }

    @Test func aVersionNeedsSomethingAfterTheAt() throws {
        let runner = try Self.prepared()
        try Self.expectRefused([
            (["show", "p@"], nil, "nothing after '@': write p for the head, p@SNAPSHOT or p@GENERATION"),
            (["sets", "duplicate", "p@", "q"], nil, "nothing after '@'"),
            (["diff", "p@", "p"], nil, "nothing after '@'"),
        ], in: runner)
    }

    @Test func aNegativeNumberIsTheErrorOfItsValue() throws {
        let runner = try Self.prepared()
        try Self.expectRefused([
            (["unmap", "p", "0x400000", "-4096"], nil, "The value '-4096' is invalid for '<length>': '-4096' is negative"),
            (["map", "p", "-5", "0x1000"], nil, "The value '-5' is invalid for '<virtual-address>': '-5' is negative"),
            (["map", "p", "0x600000", "0x1000", "--count", "-1"], nil, "The value '-1' is invalid for '--count <count>'"),
        ], in: runner)
    }

    @Test func aDecimalAddressThatFailsGetsTheHexadecimalHint() throws {
        let runner = try Self.prepared()
        try Self.expectRefused([
            (["map", "p", "3000000", "0x1000"], nil, "3000000 was read as decimal 3000000 = 0x2dc6c0; write 0x3000000 for hexadecimal"),
            (["unmap", "p", "4194305"], nil, "write 0x4194305 for hexadecimal"),
            (["apply", "p"], #"{"op":"map","va":"3000000","pa":"0x1000","protection":"rw-u"}"#,
             "<stdin>:1: address 0x2dc6c0 is not aligned to 4KiB; nothing was applied\nhint: 3000000 was read as decimal 3000000 = 0x2dc6c0"),
        ], in: runner)
        // Plain digits are decimal, as documented: 4194304 is 0x400000.
        try runner.succeed(["unmap", "p", "4194304"])
        #expect(try runner.succeed(["show", "p", "--json"]).isEmpty)
    }

    @Test func simulateRefusesSetsAnEarlierRunLeft() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        let trace = runner.directory.appendingPathComponent("one.strace")
        try Data("1234  mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000\n".utf8).write(to: trace)
        try runner.succeed(["simulate", trace.path, "--name", "run"])
        try Self.expectRefused([
            (["simulate", trace.path, "--name", "run"], nil, "the database already holds the set of simulation 'run': run-1234; choose another --name"),
        ], in: runner)
        #expect(try runner.succeed(["simulate", trace.path, "--name", "run", "--append"]).contains("sets: run-1234"))
        #expect(try runner.succeed(["simulate", trace.path]).contains("sets: sim-1234"))
    }

    @Test func aLackeyTraceWithoutItsLayoutIsRefused() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        let lackey = CommandLineTests.fixtures.appendingPathComponent("lackey-demo.lackey").path
        try Self.expectRefused([
            (["simulate", lackey], nil, "is a valgrind lackey trace: it records accesses but not the program's memory areas"),
        ], in: runner)
        #expect(try runner.succeed(["sets"]).contains("no sets"))
    }

    @Test func tablesDefaultToTheDeclaredArchitecture() throws {
        let runner = try Self.prepared()
        #expect(try runner.succeed(["build", "p"]).contains("p as x86_64-4level: 1 entry in 4 table pages"))
        #expect(try runner.succeed(["translate", "p", "0x400abc"]).contains("0x400abc -> 0x1abc"))
        try runner.succeed(["export", "p", "-o", "image"])
        #expect(String(decoding: try #require(runner.contents("image/manifest.json")), as: UTF8.self).contains("x86_64-4level"))
        try runner.succeed(["sets", "create", "plain"])
        try Self.expectRefused([
            (["build", "plain"], nil, "set 'plain' declares no architecture: choose a format with -f (x86_64-4level,"),
            (["translate", "plain", "0x0"], nil, "set 'plain' declares no architecture"),
            (["export", "plain", "-o", "other"], nil, "set 'plain' declares no architecture"),
        ], in: runner)
        #expect(runner.contents("other/manifest.json") == nil)
    }

    @Test func importErrorsNameTheFileAndLine() throws {
        let runner = try Self.prepared()
        let file = runner.directory.appendingPathComponent("entries.jsonl")
        try Data("""
            {"va":"0x800000","pa":"0x2000","protection":"rw-u"}
            # a comment
            {"va":"0x400000","pa":"0x3000","protection":"rw-u"}

            """.utf8).write(to: file)
        let bad = runner.directory.appendingPathComponent("bad.jsonl")
        try Data("{\"va\":\"0x800000\",\"pa\":\"0x2000\",\"protection\":\"rw-u\"}\n{\"va\":\"0x801000\"}\n".utf8).write(to: bad)
        try Self.expectRefused([
            (["import", "p", "--entries", "entries.jsonl"], nil, "entries.jsonl:3: 0x400000 -> 0x3000 4KiB rw-u overlaps the existing entry"),
            (["import", "p", "--entries", "bad.jsonl"], nil, "bad.jsonl:2: missing \"pa\""),
        ], in: runner)
    }

    @Test func misspelledNamesGetASuggestion() throws {
        let runner = try Self.prepared()
        try runner.succeed(["sets", "create", "process"])
        try Self.expectRefused([
            (["mpa", "p", "0x0", "0x0"], nil, "'mpa' is not an `mmu` command; did you mean 'map'?"),
            (["sets", "craete", "x"], nil, "'craete' is not an `mmu sets` command; did you mean 'create'?"),
            (["show", "proces"], nil, "no translation set named 'proces'; did you mean 'process'?"),
            (["show", "p@strat"], nil, "set 'p' has no snapshot named 'strat'; did you mean 'start'?"),
            (["snapshot", "p", "sttart", "--delete"], nil, "did you mean 'start'?"),
            (["apply", "p"], #"{"op":"copy","from":"proces","va":"0x0","length":"4K"}"#, "<stdin>:1: no translation set named 'proces'; did you mean 'process'?"),
        ], in: runner)
    }

    @Test func messagesReadAsEnglish() throws {
        let runner = try Self.prepared()
        #expect(try runner.succeed(["apply", "p"], input: #"{"op":"fault","va":"0x400000"}"#).contains("applied 1 operation in set"))
        let stats = try runner.succeed(["stats", "p@1"])
        #expect(stats.contains("set 'p' at generation 1\n"), "\(stats)")
        #expect(stats.contains("1 entry mapping 4 KiB; 0 global entries"), "\(stats)")
        #expect(stats.contains("1 snapshot, 2 transactions"), "\(stats)")
        #expect(try runner.succeed(["show", "p"]).contains(": 1 entry, 4 KiB mapped"))
        #expect(try runner.succeed(["unmap", "p", "0x400000"]).contains("(+0 -1 entry)"))
    }

    @Test func exportOntoAnExistingPathIsRefusedClearly() throws {
        let runner = try Self.prepared()
        try Data("keep me".utf8).write(to: runner.directory.appendingPathComponent("taken"))
        try FileManager.default.createDirectory(at: runner.directory.appendingPathComponent("full"), withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: runner.directory.appendingPathComponent("full/notes.txt"))
        try Self.expectRefused([
            (["export", "p", "-f", "x86_64-4level", "-o", "taken"], nil, "'taken' already exists and is a file: export writes a directory"),
            (["export", "p", "-f", "x86_64-4level", "-o", "full"], nil, "'full' already exists and is not empty"),
        ], in: runner)
        #expect(runner.contents("taken") == Data("keep me".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: runner.directory.appendingPathComponent("full").path) == ["notes.txt"])
    }

    @Test func anEmptyDatabaseVariableMeansTheDefault() throws {
        let runner = try Self.prepared()
        let sets = try runner.run(["sets"], database: "")
        #expect(sets.status == 0, "\(sets.error)")
        #expect(sets.output.contains("x86_64-4level"))
    }

    @Test func sqlReadsItsQueryFromStandardInputAndLogStatesItsLimit() throws {
        let runner = try Self.prepared()
        #expect(try runner.succeed(["sql", "-", "--csv"], input: "SELECT count(*) AS n FROM liveEntry") == "n\n1\n")
        #expect(try runner.succeed(["sql", "--help"]).contains("or - to read it from standard input"))
        #expect(try runner.succeed(["log", "--help"]).contains("latest 50 transactions"))
    }
}
