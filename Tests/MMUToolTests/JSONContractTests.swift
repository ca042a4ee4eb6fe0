import Foundation
import MMUTestSupport
import Testing

/// Every `--json` output against its schema in `schemas/`, with a strict validator (jsonschema's
/// draft 2020-12 validator with format checking, strict parsing, strict schemas).
struct JSONContractTests {
    static let schemas = PythonEnvironment.packageRoot.appendingPathComponent("schemas")
    static let validator = PythonEnvironment.packageRoot.appendingPathComponent("tools/python/validate_json.py")
    static let fixtures = PythonEnvironment.packageRoot.appendingPathComponent("Sources/MMUDemo/Fixtures")

    /// The outputs of one command, by schema name.
    struct Outputs {
        var lines: [String: [String]] = [:]

        /// Adds the output of `mmu arguments…`; a document (not JSON Lines) must be exactly one line.
        mutating func add(_ schema: String, _ output: String, document: Bool = false) {
            let split = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(split.last == "", "\(schema): output does not end with a newline: \(output)")
            let found = Array(split.dropLast())
            if document { #expect(found.count == 1, "\(schema) prints one document, found \(found.count) lines") }
            lines[schema, default: []] += found
        }
    }

    /// Runs the validator on `files` (schema name → JSON Lines text); the problems it prints, or "" when valid.
    static func validate(_ files: [String: String], in runner: ToolRunner) throws -> (status: Int32, problems: String) {
        var arguments = [validator.path]
        for (schema, text) in files.sorted(by: { $0.key < $1.key }) {
            let file = runner.directory.appendingPathComponent("\(schema)-\(UUID().uuidString).jsonl")
            try Data(text.utf8).write(to: file)
            arguments += [schemas.appendingPathComponent("\(schema).schema.json").path, file.path]
        }
        let process = Process()
        process.executableURL = try PythonEnvironment.python()
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let problems = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, problems)
    }

    /// A database touching every command, and each `--json` output collected by schema.
    static func everyOutput(_ runner: ToolRunner) throws -> Outputs {
        var outputs = Outputs()
        try runner.succeed(["init"])
        outputs.add("sets", try runner.succeed(["sets", "--json"]))
        #expect(outputs.lines["sets"] == [], "no sets must be zero lines")
        try runner.succeed(["sets", "create", "p", "--architecture", "x86_64-4level"])
        try runner.succeed(["sets", "create", "empty"])
        outputs.add("show", try runner.succeed(["show", "empty", "--json", "--areas"]))
        outputs.add("snapshot", try runner.succeed(["snapshots", "p", "--json"]))
        #expect(outputs.lines["show"] == [] && outputs.lines["snapshot"] == [], "empty results must be zero lines")
        outputs.add("commit", try runner.succeed(["map", "p", "0x400000", "0x1000", "-p", "r-xu", "--count", "4", "--json"]), document: true)
        outputs.add("commit", try runner.succeed(["map", "p", "0x600000", "0x200000", "-s", "2M", "--json"]), document: true)
        outputs.add("commit", try runner.succeed(["map", "p", "0xffff800000000000", "0x800000", "--global", "--cache", "uc", "--json"]), document: true)
        outputs.add("snapshot", try runner.succeed(["snapshot", "p", "base", "--json"]), document: true)
        outputs.add("commit", try runner.succeed(["protect", "p", "0x401000", "8K", "r--u", "--json"]), document: true)
        outputs.add("commit", try runner.succeed(["unmap", "p", "0x403000", "--json"]), document: true)
        outputs.add("commit", try runner.succeed(["resize", "p", "0x600000", "4K", "--json"]), document: true)
        outputs.add("commit", try runner.succeed(["apply", "p", "--json"], input: #"{"op":"access","va":"0x400000","write":true,"count":3}"# + "\n"), document: true)
        outputs.add("show", try runner.succeed(["show", "p", "--json", "--areas"]))
        outputs.add("commit", try runner.succeed(["import", "q", "--entries", "-", "--json"], input: try runner.succeed(["show", "p", "--json"])), document: true)
        let diff = try runner.run(["diff", "p@base", "p", "--json"])
        #expect(diff.status == 1)
        outputs.add("diff", diff.output)
        outputs.add("diff", try runner.succeed(["diff", "p@base", "p@base", "--json"]), document: true)
        outputs.add("diff", try runner.run(["diff", "p@base", "p", "--json", "--summary"]).output, document: true)
        try runner.succeed(["sets", "create", "top"])
        try runner.succeed(["map", "top", "0xfffffffffffff000", "0x1000", "--json"])
        let top = try runner.run(["diff", "empty", "top", "--json"])
        #expect(top.output.hasPrefix(#"{"end":"0x10000000000000000","kinds":["added"],"new":{"accessed":false,"cache":"wb","dirty":false,"global":false,"pa":"0x1000","protection":"rw-u","size":"4KiB","va":"0xfffffffffffff000"},"old":null,"record":"change","start":"0xfffffffffffff000"}"#), "\(top.output)")
        outputs.add("diff", top.output)
        outputs.add("sets", try runner.succeed(["sets", "--json", "--global"]))
        outputs.add("stats", try runner.succeed(["stats", "--json"]))
        outputs.add("stats", try runner.succeed(["stats", "p@base", "--json"]), document: true)
        outputs.add("stats", try runner.succeed(["stats", "p", "--tables", "x86_64-4level,i386,ppc64-hpt", "--json"]), document: true)
        outputs.add("sql", try runner.succeed(["sql", "SELECT virtualAddress, vpn << 12 AS signedAddress, pageBytes, isGlobal, 0.5 AS half, NULL AS absent, x'00ff' AS blob FROM liveEntry", "--json"]))
        outputs.add("formats", try runner.succeed(["formats", "--json"]))
        outputs.add("build", try runner.succeed(["build", "p", "-f", "x86_64-4level", "--json"]), document: true)
        outputs.add("build", try runner.succeed(["build", "p", "-f", "ppc64-hpt", "--split", "--json"]), document: true)
        outputs.add("translate", try runner.succeed(["translate", "p", "0x400abc", "-f", "x86_64-4level", "--json"]), document: true)
        outputs.add("translate", try runner.run(["translate", "p", "0x9000000", "-f", "x86_64-4level", "--json"]).output, document: true)
        outputs.add("export", try runner.succeed(["export", "p", "-f", "riscv-sv48", "-o", "riscv", "--json"]), document: true)
        outputs.add("export", try runner.succeed(["export", "p", "-f", "ppc64-hpt", "--split", "-o", "ppc", "--json"]), document: true)
        outputs.add("export", try runner.succeed(["export", "p", "-f", "ia64-vhpt-long", "--split", "-o", "ia64", "--json"]), document: true)
        outputs.add("log", try runner.succeed(["log", "--json"]))
        outputs.add("check", try runner.succeed(["check", "--json"]), document: true)
        outputs.add("compact", try runner.succeed(["compact", "q", "--json"]), document: true)
        let lackey = fixtures.appendingPathComponent("lackey-demo.lackey").path
        let layout = fixtures.appendingPathComponent("lackey-demo.maps").path
        outputs.add("simulate", try runner.succeed(["simulate", lackey, "--layout", layout, "--name", "s", "--snapshot-every", "8", "--json"]), document: true)
        outputs.add("snapshot", try runner.succeed(["snapshots", "s-9376", "--json"]))
        outputs.add("show", try runner.succeed(["show", "s-9376", "--json", "--areas"]))
        let areas = try runner.run(["diff", "empty", "s-9376", "--json"])
        #expect(areas.status == 1)
        outputs.add("diff", areas.output)
        let bad = runner.directory.appendingPathComponent("bad.strace")
        try Data("1234  mmap(NULL, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000\n1234  mmap(garbage\n".utf8).write(to: bad)
        outputs.add("simulate", try runner.succeed(["simulate", bad.path, "--skip-bad-lines", "--name", "t", "--json"]), document: true)
        outputs.add("capture", try runner.succeed(["capture", "--self", "--set", "me", "--json"]), document: true)
        try SyntheticDump.linuxLike().elfCore(cr3: 0x1000).write(to: runner.directory.appendingPathComponent("guest.elf"))
        outputs.add("import-dump", try runner.succeed(["import", "guest", "--dump", "guest.elf", "--json"]), document: true)
        outputs.add("rows", try runner.succeed(["rows", "mmu.sqlite", "-o", "rows", "--json"]), document: true)
        return outputs
    }

    @Test func everyJSONOutputMatchesItsSchema() throws {
        let runner = try ToolRunner()
        let outputs = try Self.everyOutput(runner)
        let published = try FileManager.default.contentsOfDirectory(atPath: Self.schemas.path)
            .filter { $0.hasSuffix(".schema.json") }.map { String($0.dropLast(".schema.json".count)) }
        #expect(Set(outputs.lines.keys) == Set(published), "every schema is exercised and every output has a schema")
        for (schema, lines) in outputs.lines where schema != "sets" {
            #expect(!lines.isEmpty, "\(schema): no output collected")
        }
        let result = try Self.validate(outputs.lines.mapValues { $0.map { $0 + "\n" }.joined() }, in: runner)
        #expect(result.status == 0, "\(result.problems)")
        #expect(outputs.lines["diff"]?.filter { $0.contains(#""record":"summary""#) }.count == 5, "one summary per diff")
        #expect(outputs.lines["diff"]?.contains { $0.contains(#""record":"area""#) } == true, "memory area rows are validated too")
        #expect(outputs.lines["show"]?.contains { $0.contains(#""record":"area""#) } == true)
        #expect(outputs.lines["sql"]?.first?.contains(#""blob":"x'00ff'""#) == true)
        #expect(outputs.lines["translate"]?.last?.contains(#""physicalAddress":null"#) == true)
    }

    /// The planted faults: a line with a key missing, with an extra key, with a key's value null
    /// where the schema wants a value, or with a duplicated key fails validation, for every schema.
    @Test func aMissingOrExtraKeyFailsValidation() throws {
        let runner = try ToolRunner()
        let outputs = try Self.everyOutput(runner)
        for (schema, lines) in outputs.lines.sorted(by: { $0.key < $1.key }) {
            guard let line = lines.last, let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            var faults: [String: String] = [:]
            if schema != "sql" {
                let key = object.keys.sorted().last!
                var missing = object
                missing[key] = nil
                faults["missing '\(key)'"] = try Self.text(missing)
                var extra = object
                extra["unexpected"] = 1
                faults["extra key"] = try Self.text(extra)
            }
            let first = object.keys.sorted().first!
            faults["duplicate key"] = "{\"\(first)\":null," + line.dropFirst()
            for (fault, text) in faults {
                let result = try Self.validate([schema: text + "\n"], in: runner)
                #expect(result.status == 1, "\(schema) with a \(fault) passed validation: \(text)")
            }
        }
    }

    /// `sql --json` names each value by its column, so two columns with one name are refused
    /// with the fix (they crashed the tool before); big integers are text, exact.
    @Test func sqlJSONNamesEveryValueOnce() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        let repeated = try runner.run(["sql", "SELECT 1 AS a, 2 AS a", "--json"])
        #expect(repeated.status == 1)
        #expect(repeated.error.contains("the column name 'a' appears twice") && repeated.error.contains("AS name"), "\(repeated.error)")
        #expect(repeated.output.isEmpty)
        #expect(try runner.succeed(["sql", "SELECT 9007199254740992 AS edge, 9007199254740993 AS big, -9223372036854775808 AS low", "--json"])
            == #"{"big":"9007199254740993","edge":9007199254740992,"low":"-9223372036854775808"}"# + "\n")
    }

    /// The validator is strict itself: a schema that lets unknown keys in or leaves a key optional,
    /// or uses a format it cannot check, is refused; format checking is on.
    @Test(arguments: [
        (#"{"type":"object","properties":{"a":{"type":"integer"}},"required":["a"]}"#, #"{"a":1}"#, "additionalProperties is not false"),
        (#"{"type":"object","properties":{"a":{"type":"integer"}},"additionalProperties":false}"#, #"{"a":1}"#, "not every property is required"),
        (#"{"type":"string","format":"date-time"}"#, #""2026-12-02T05:26:32.558Z""#, "format 'date-time' is not checked"),
        (#"{"type":"string","format":"ipv4"}"#, #""not an address""#, "is not a 'ipv4'"),
    ])
    func theValidatorRefusesLooseSchemasAndBadFormats(schema: String, value: String, message: String) throws {
        let runner = try ToolRunner()
        let file = runner.directory.appendingPathComponent("planted.schema.json")
        try Data(#"{"$schema":"https://json-schema.org/draft/2020-12/schema","#.utf8 + Data(schema.dropFirst().utf8)).write(to: file)
        let data = runner.directory.appendingPathComponent("planted.jsonl")
        try Data((value + "\n").utf8).write(to: data)
        let process = Process()
        process.executableURL = try PythonEnvironment.python()
        process.arguments = [Self.validator.path, file.path, data.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let problems = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1, "\(schema) with \(value) passed")
        #expect(problems.contains(message), "\(problems)")
    }

    static func text(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}
