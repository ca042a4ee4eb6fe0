import Foundation
import MMUTestSupport
import Testing

/// The runs lake (tools/lake): 20 generated runs added to a Parquet lake give the same answers
/// through SQLite on each file, DuckDB on the lake and Spark SQL on the lake (and DuckDB's SQLite
/// extension on the files, for one question); adding again, or
/// again after a kill, leaves each run exactly once; a hostile run file is refused with the stage
/// named and the lake unchanged.
struct LakeTests {
    static let tool = PythonEnvironment.packageRoot.appendingPathComponent("tools/lake/mmu-lake")
    static let agreement = PythonEnvironment.packageRoot.appendingPathComponent("tools/lake/agreement.py")

    /// How an `mmu-lake` run ended.
    struct Outcome {
        var status: Int32
        var output: String
        var errors: String

        /// The `--json` records of `add`, one per file.
        func records() throws -> [[String: Any]] {
            try output.split(separator: "\n").map { line in
                guard let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                    throw ToolRunner.Failure(description: "not a JSON object: \(line)")
                }
                return record
            }
        }
    }

    /// Starts `mmu-lake arguments…` with the pinned interpreter and the built `mmu`; standard
    /// error goes to `errors`.
    static func start(_ arguments: [String], errors: Any) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = try PythonEnvironment.python()
        process.arguments = [tool.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["MMU"] = ToolRunner.executable.path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return (process, output)
    }

    /// Runs `mmu-lake arguments…` to the end.
    static func runTool(_ arguments: [String]) throws -> Outcome {
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-lake-\(UUID().uuidString).stderr")
        guard FileManager.default.createFile(atPath: errorFile.path, contents: nil) else {
            throw ToolRunner.Failure(description: "cannot create \(errorFile.path)")
        }
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let (process, output) = try start(arguments, errors: try FileHandle(forWritingTo: errorFile))
        let outputText = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: outputText, errors: try String(contentsOf: errorFile, encoding: .utf8))
    }

    /// `add LAKE FILES… --labels --json`, which must succeed (checked here; callers may ignore the outcome).
    @discardableResult
    static func add(_ lake: URL, _ runs: GeneratedRuns, files: [URL]? = nil, jobs: Int = 2) throws -> Outcome {
        let outcome = try runTool(["add", lake.path] + (files ?? runs.files).map(\.path) + ["--labels", runs.labels.path, "--json", "--jobs", String(jobs)])
        guard outcome.status == 0 else { throw ToolRunner.Failure(description: "mmu-lake add exited \(outcome.status): \(outcome.errors)") }
        return outcome
    }

    /// What a lake holds, through DuckDB: every run's rows of every table and view, counted.
    static func census(_ lake: URL) throws -> String {
        let views = ["translationSet", "mmuEntry", "entryState", "pageActivity", "memoryArea", "liveSummary", "transactionLog",
                     "snapshot", "snapshotEntryState", "snapshotPageActivity", "liveEntry", "entryVersion", "pageHeat", "liveArea"]
        let query = "SELECT run, " + views.map { "(SELECT count(*) FROM \($0) v WHERE v.run = r.run) AS \($0)" }.joined(separator: ", ")
            + " FROM runs r ORDER BY run"
        let outcome = try runTool(["sql", lake.path, query, "--json"])
        guard outcome.status == 0 else { throw ToolRunner.Failure(description: "mmu-lake sql exited \(outcome.status): \(outcome.errors)") }
        return outcome.output
    }

    /// Every file of the lake with its bytes, for proving that a refused add changed nothing.
    static func snapshot(of lake: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: lake, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
            files[url.path] = try Data(contentsOf: url)
        }
        return files
    }

    @Test func rowsWritesTheTablesOfACheckedFileAndNothingForARefusedOne() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try runner.succeed(["sets", "create", "p"])
        try runner.succeed(["map", "p", "0x400000", "0x1000", "--count", "3"])
        let written = try runner.succeed(["rows", "mmu.sqlite", "-o", "out"])
        #expect(written.hasPrefix("checked mmu.sqlite and wrote ") && written.contains(" of 10 tables to out"), "\(written)")
        let tables = try FileManager.default.contentsOfDirectory(atPath: runner.directory.appendingPathComponent("out").path)
        #expect(tables.count == 10 && tables.contains("mmuEntry.csv"))
        let again = try runner.run(["rows", "mmu.sqlite", "-o", "out"])
        #expect(again.status != 0 && again.error.contains("not empty"), "\(again.error)")

        var damaged = try #require(runner.contents("mmu.sqlite"))
        damaged[0] = UInt8(ascii: "X")
        try damaged.write(to: runner.directory.appendingPathComponent("damaged.sqlite"))
        let refused = try runner.run(["rows", "damaged.sqlite", "-o", "refused"])
        #expect(refused.status == 1)
        #expect(refused.error.contains("rejected at stage 'header'"), "\(refused.error)")
        #expect(!FileManager.default.fileExists(atPath: runner.directory.appendingPathComponent("refused").path))
    }

    /// One set of 20 runs (about a minute to make) for every check.
    @Test func lakeOfTwentyRuns() throws {
        let runner = try ToolRunner()
        let runs = try GeneratedRuns(count: 20, runner: runner)
        try sqliteDuckDBAndSparkGiveTheSameAnswers(runner, runs)
        try addingAgainOrAfterAKillKeepsEachRunOnce(runner, runs)
        try hostileRunFilesAreRefusedWithTheStageAndTheLakeUnchanged(runner, runs)
    }

    func sqliteDuckDBAndSparkGiveTheSameAnswers(_ runner: ToolRunner, _ runs: GeneratedRuns) throws {
        let lake = runner.directory.appendingPathComponent("lake-agreement")
        let added = try Self.add(lake, runs)
        #expect(try added.records().count == 20)
        #expect(try added.records().allSatisfy { $0["action"] as? String == "added" }, "\(added.output)")

        let process = Process()
        process.executableURL = try PythonEnvironment.python()
        process.arguments = [Self.agreement.path, lake.path, runs.labels.path] + runs.files.map(\.path)
        let output = Pipe()
        let errorFile = runner.directory.appendingPathComponent("agreement.stderr")
        guard FileManager.default.createFile(atPath: errorFile.path, contents: nil) else {
            throw ToolRunner.Failure(description: "cannot create \(errorFile.path)")
        }
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        // Spark without Java fails here, with the fix (apt-get install openjdk-17-jre-headless) in the message.
        let errors = try String(contentsOf: errorFile, encoding: .utf8)
        try #require(process.terminationStatus == 0, "agreement.py failed: \(errors.split(separator: "\n").suffix(5).joined(separator: "\n"))")
        let engines = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: [Any]]])
        let sqlite = try #require(engines["sqlite"]), duckdb = try #require(engines["duckdb"]), spark = try #require(engines["spark"])
        let questions = ["liveEntry", "entryVersion", "setStatistics", "pageSizeStatistics", "protectionStatistics", "pageHeat",
                         "snapshotList", "transactionHistory", "liveArea", "hotPages", "sizeMix", "promotions", "livePerSet"]
        // DuckDB's SQLite extension reading the files in place (the README's way for a handful).
        let scanned = try #require(engines["sqliteScan"]?["livePerSet"]) as NSArray
        #expect(scanned == (sqlite["livePerSet"] ?? []) as NSArray, "sqlite_scan differs from SQLite")
        #expect(Set(sqlite.keys) == Set(questions))
        for question in questions {
            let expected = try #require(sqlite[question]) as NSArray
            #expect(expected.count > 0, "\(question): no rows from SQLite")
            #expect(expected == (duckdb[question] ?? []) as NSArray, "\(question): DuckDB differs from SQLite")
            #expect(expected == (spark[question] ?? []) as NSArray, "\(question): Spark differs from SQLite")
        }
        // The rows span the runs, the kernel half and history.
        let versions = try #require(sqlite["entryVersion"]) as? [[Any]] ?? []
        #expect(Set(versions.compactMap { $0.last as? String }).count == 15)
        #expect(versions.contains { ($0[1] as? String) == "0xffff800000000000" })
        #expect(versions.contains { !($0[7] is NSNull) })
    }

    func addingAgainOrAfterAKillKeepsEachRunOnce(_ runner: ToolRunner, _ runs: GeneratedRuns) throws {
        let clean = runner.directory.appendingPathComponent("lake-clean")
        try Self.add(clean, runs)
        let expected = try Self.census(clean)
        #expect(expected.split(separator: "\n").count == 20)

        let again = try Self.add(clean, runs)
        #expect(try again.records().allSatisfy { $0["action"] as? String == "skipped" }, "\(again.output)")
        #expect(try Self.census(clean) == expected)

        for killAfter in [1, 7] {
            let lake = runner.directory.appendingPathComponent("lake-killed-\(killAfter)")
            let errors = Pipe()
            let (process, _) = try Self.start(["add", lake.path] + runs.files.map(\.path) + ["--labels", runs.labels.path, "--jobs", "1"], errors: errors)
            var progress = ""
            while progress.split(separator: "\n").count < killAfter {
                let chunk = errors.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                progress += String(decoding: chunk, as: UTF8.self)
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "mmu-lake add ended before the kill: \(progress)")
            let partial = try Self.census(lake).split(separator: "\n")
            #expect(partial.count < 20)
            #expect(Set(partial).isSubset(of: Set(expected.split(separator: "\n"))))

            let rerun = try Self.add(lake, runs)
            #expect(try rerun.records().filter { $0["action"] as? String == "added" }.count == 20 - partial.count)
            #expect(try Self.census(lake) == expected)
        }

        // A run with a new generation is replaced, once; the others are skipped.
        let changed = runs.files[2]
        try runner.succeed(["map", "p", "0x900000", "0x5000000", "--database", changed.path])
        let replaced = try Self.add(clean, runs)
        let actions = Dictionary(uniqueKeysWithValues: try replaced.records().map { ($0["run"] as? String ?? "", $0["action"] as? String ?? "") })
        #expect(actions["run-02"] == "replaced")
        #expect(actions.values.filter { $0 == "skipped" }.count == 19)
        #expect(try replaced.records().first { $0["run"] as? String == "run-02" }?["reason"] as? String == "new generations")
        let after = try Self.census(clean)
        #expect(after.split(separator: "\n").filter { !expected.contains($0) }.count == 1)
        let fresh = runner.directory.appendingPathComponent("lake-fresh")
        try Self.add(fresh, runs)
        #expect(after == (try Self.census(fresh)), "the replaced run is not exactly what a fresh lake holds")
    }

    func hostileRunFilesAreRefusedWithTheStageAndTheLakeUnchanged(_ runner: ToolRunner, _ runs: GeneratedRuns) throws {
        let lake = runner.directory.appendingPathComponent("lake-hostile")
        try Self.add(lake, runs, files: Array(runs.files.prefix(3)))
        let before = try Self.snapshot(of: lake)

        let hostile = runner.directory.appendingPathComponent("hostile")
        try FileManager.default.createDirectory(at: hostile, withIntermediateDirectories: true)
        // A row edited behind the store's back (its digest no longer matches), with sqlite3.
        let edited = hostile.appendingPathComponent("edited.sqlite")
        try FileManager.default.copyItem(at: runs.files[2], to: edited)
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["sqlite3", edited.path, "UPDATE mmuEntry SET pfn = pfn + 1 WHERE vpn = 1024"]
        try sqlite.run()
        sqlite.waitUntilExit()
        try #require(sqlite.terminationStatus == 0, "sqlite3 is missing: .ci/run installs it (apt-get install sqlite3)")
        var header = try Data(contentsOf: runs.files[4])
        header[0] = UInt8(ascii: "X")
        try header.write(to: hostile.appendingPathComponent("header.sqlite"))
        let fifo = hostile.appendingPathComponent("fifo.sqlite").path
        #expect(mkfifo(fifo, 0o600) == 0)

        for (run, stage) in ["edited": "invariants", "header": "header", "fifo": "locate"] {
            let outcome = try Self.runTool(["add", lake.path, hostile.appendingPathComponent("\(run).sqlite").path, "--json"])
            #expect(outcome.status == 1, "\(run): \(outcome.errors)")
            let record = try #require(try outcome.records().first)
            #expect(record["action"] as? String == "refused")
            #expect(record["stage"] as? String == stage, "\(run): \(record)")
            #expect(outcome.errors.contains("at stage '\(stage)'"), "\(outcome.errors)")
            #expect(try Self.snapshot(of: lake) == before, "\(run) changed the lake")
        }
    }
}
