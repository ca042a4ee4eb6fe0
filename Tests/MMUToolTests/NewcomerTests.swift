import Foundation
import Testing

/// Every documented example runs, as written, on a fresh directory: the README's commands,
/// JSON-lines batch, SQL and library snippet, and the DocC articles' examples (README,
/// "Examples in the documentation are tests").
struct NewcomerTests {
    /// README.md and the DocC articles, relative to the package root.
    static func documents() throws -> [String] {
        let sources = ExampleRunner.packageRoot.appendingPathComponent("Sources")
        var articles: [String] = []
        for module in try FileManager.default.contentsOfDirectory(atPath: sources.path).sorted() {
            for catalog in try FileManager.default.contentsOfDirectory(atPath: sources.appendingPathComponent(module).path).sorted()
            where catalog.hasSuffix(".docc") {
                let folder = "Sources/\(module)/\(catalog)"
                articles += try FileManager.default.contentsOfDirectory(atPath: ExampleRunner.packageRoot.appendingPathComponent(folder).path)
                    .filter { $0.hasSuffix(".md") }.sorted().map { "\(folder)/\($0)" }
            }
        }
        return ["README.md"] + articles
    }

    static func blocks(of document: String) throws -> [DocumentedBlock] {
        let text = try String(contentsOf: ExampleRunner.packageRoot.appendingPathComponent(document), encoding: .utf8)
        return DocumentedBlock.blocks(in: text, document: document)
    }

    /// The problems of unmarked blocks (a block the tests would silently leave alone).
    static func markerProblems(_ blocks: [DocumentedBlock]) -> [String] {
        blocks.filter { $0.role == nil }.map {
            "\($0.location): a fenced block without <!-- example -->, <!-- example: FILE -->, <!-- synopsis --> or <!-- not run: REASON -->"
        }
    }

    /// Runs a document's blocks in order in a fresh directory; Swift examples `swiftRuns` times.
    /// Returns the problems, the example blocks run and the commands, queries and Swift runs.
    static func runExamples(of blocks: [DocumentedBlock], swiftRuns: Int = 1) throws
        -> (problems: [String], ran: Int, executed: Int)
    {
        let runner = try ExampleRunner()
        var problems: [String] = [], ran = 0
        for block in blocks {
            if case .example = block.role { ran += 1 }
            problems += try runner.run(block, swiftRuns: swiftRuns)
        }
        return (problems, ran, runner.executed)
    }

    @Test func everyFencedBlockSaysWhatTheTestsDoWithIt() throws {
        var count = 0
        for document in try Self.documents() {
            let blocks = try Self.blocks(of: document)
            count += blocks.count
            for problem in Self.markerProblems(blocks) { Issue.record(Comment(rawValue: problem)) }
        }
        #expect(count >= 12, "found only \(count) fenced blocks: is the parser reading the documents?")
    }

    @Test func ciRunsExactlyTheReadmesTestCommand() throws {
        let quickStart = try #require(try Self.blocks(of: "README.md").first { $0.language == "sh" })
        let testCommand = try #require(
            quickStart.text.split(separator: "\n").first { $0.contains("# run the tests") }?
                .components(separatedBy: "#")[0].trimmingCharacters(in: .whitespaces))
        #expect(testCommand == "swift test")
        let ci = try String(contentsOf: ExampleRunner.packageRoot.appendingPathComponent(".ci/run"), encoding: .utf8)
        let commands = ci.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        #expect(commands.last == testCommand)
        // The tests provision their own Python tools; CI installs none behind their back.
        #expect(!ci.contains("pip install"))
    }

    @Test func anUnmarkedBlockIsReported() {
        let blocks = DocumentedBlock.blocks(in: "Run:\n\n```sh\nmmu init\n```\n\n<!-- example -->\n```sh\nmmu init\n```\n", document: "planted.md")
        #expect(blocks.map(\.role) == [nil, .example])
        #expect(Self.markerProblems(blocks).map { $0.hasPrefix("planted.md:3:") } == [true])
    }

    @Test func theReadmeExamplesRunInOrderOnAFreshDirectory() throws {
        let blocks = try Self.blocks(of: "README.md")
        // The library example runs twice: a second run in the same directory must work too.
        let (problems, ran, executed) = try Self.runExamples(of: blocks, swiftRuns: 2)
        for problem in problems { Issue.record(Comment(rawValue: problem)) }
        print("newcomer: \(ran) README example blocks ran (\(executed) commands, queries and Swift runs)")
        #expect(ran >= 5)
        #expect(blocks.contains { $0.role == .file("batch.jsonl") && $0.language == "json" })
        #expect(blocks.contains { $0.role == .example && $0.language == "sql" })
        #expect(blocks.contains { $0.role == .example && $0.language == "swift" })
    }

    @Test(arguments: try NewcomerTests.documents().filter { $0 != "README.md" })
    func theDocCExamplesRun(document: String) throws {
        let (problems, ran, executed) = try Self.runExamples(of: try Self.blocks(of: document))
        for problem in problems { Issue.record(Comment(rawValue: problem)) }
        print("newcomer: \(ran) example blocks ran in \(document) (\(executed) runs)")
    }

    @Test func everySwiftCopyIsShownInTheDocumentation() throws {
        let swiftBlocks = try Self.documents().flatMap { try Self.blocks(of: $0) }.filter { $0.role == .example && $0.language == "swift" }
        let copies = try SwiftExampleCopy.all()
        #expect(Set(copies.map(\.name)).count == copies.count, "two copies share a name")
        for copy in copies {
            #expect(swiftBlocks.filter(copy.matches).count == 1, "tools/doc-examples/\(copy.file): example \(copy.name) is not shown exactly once")
        }
    }

    @Test func aFailingExampleIsReported() throws {
        // The README's batch as it was: its 5th line promotes a range that is not fully mapped.
        let oldBatch = """
            {"op":"map","va":"0x400000","pa":"0x1000","size":"4KiB","protection":"r-xu"}
            {"op":"map","entries":[{"va":"0x600000","pa":"0x2000","protection":"rw-u"}]}
            {"op":"unmap","va":"0x400000","length":"0x1000"}
            {"op":"protect","va":"0x600000","length":"0x1000","protection":"r--u","demote":true}
            {"op":"resize","va":"0x600000","size":"2MiB"}
            """
        let markdown = """
            <!-- example: old.jsonl -->
            ```json
            \(oldBatch)
            ```
            <!-- example -->
            ```sh
            mmu init
            mmu sets create p --architecture x86_64-4level
            mmu apply p old.jsonl
            mmu diff p@0 p          # exit status 1: they differ
            ```
            <!-- example -->
            ```sql
            SELECT * FROM liveEntry WHERE setName = 'nobody';
            ```
            """
        let (problems, ran, _) = try Self.runExamples(of: DocumentedBlock.blocks(in: markdown, document: "planted.md"))
        #expect(ran == 2)
        #expect(problems.count == 3, "\(problems)")
        #expect(problems.contains { $0.contains("`mmu apply p old.jsonl` exited 1") && $0.contains("old.jsonl:5:") })
        #expect(problems.contains { $0.contains("`mmu diff p@0 p") && $0.contains("exited 2, not 1") })
        #expect(problems.contains { $0.contains("no rows") })
    }

    @Test func jsonOutputIsOneDocumentOrJSONLines() {
        #expect(ExampleRunner.jsonValues("{\"a\":1}\n{\"b\":2}\n")?.count == 2)
        #expect(ExampleRunner.jsonValues("[{\"a\":1},\n {\"b\":2}]\n")?.count == 1)
        #expect(ExampleRunner.jsonValues("")?.count == 0)
        #expect(ExampleRunner.jsonValues("{\"a\":1}\nnot json\n") == nil)
    }

    @Test func aDriftedSwiftCopyIsReported() throws {
        let copy = try #require(try SwiftExampleCopy.all().first)
        let shown = DocumentedBlock(document: "planted.md", line: 1, language: "swift", role: .example, text: copy.body)
        #expect(copy.matches(shown))
        var drifted = shown
        drifted.text = copy.body.replacingOccurrences(of: "try ", with: "try! ")
        #expect(!copy.matches(drifted))
        #expect(try ExampleRunner().run(drifted).first?.contains("no identical copy") == true)
    }

    @Test func theSynopsisShowsEveryOptionOfEveryCommand() throws {
        let runner = try ExampleRunner()
        let mmu = ExampleRunner.binaries.appendingPathComponent("mmu")
        let synopsisBlocks = try Self.blocks(of: "README.md").filter { $0.role == .synopsis }
        try #require(synopsisBlocks.count == 1)
        let setsCommands = CommandSynopsis.subcommands(try runner.launch(mmu, ["sets", "--help"]).output)
        let synopsis = CommandSynopsis(synopsisBlocks[0].text, setsSubcommands: Set(setsCommands))
        var paths = CommandSynopsis.subcommands(try runner.launch(mmu, ["--help"]).output).filter { $0 != "sets" }
        paths += setsCommands.map { "sets \($0)" }
        #expect(paths.count >= 27, "\(paths)")
        for path in paths {
            let help = try runner.launch(mmu, path.split(separator: " ").map(String.init) + ["--help"])
            try #require(help.status == 0, "mmu \(path) --help: \(help.errors)")
            for problem in synopsis.problems(for: path, help: help.output) { Issue.record(Comment(rawValue: problem)) }
        }
        // Planted: the map line without --label, and an option map does not have.
        let planted = CommandSynopsis("mmu map SET VA PA [-s SIZE] [--frobnicate]", setsSubcommands: [])
        let mapHelp = try runner.launch(mmu, ["map", "--help"]).output
        let problems = planted.problems(for: "map", help: mapHelp)
        #expect(problems.contains { $0.contains("--frobnicate") })
        #expect(problems.contains { $0.contains("--label") })
        #expect(!problems.contains { $0.contains("--size") })
    }
}
