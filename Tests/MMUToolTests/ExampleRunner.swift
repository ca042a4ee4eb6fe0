import Foundation

/// Runs documented examples as a newcomer would: in a fresh temporary directory (also `HOME`),
/// with the built `mmu` first on `PATH`, one block after another. Each `run` returns the
/// problems it found, each naming the block and the command.
final class ExampleRunner {
    let directory: URL
    /// How many commands, queries and Swift example runs have run.
    private(set) var executed = 0

    /// How a command ended.
    struct Completion {
        var status: Int32
        var output: String
        var errors: String
    }

    /// The package root (this file is `Tests/MMUToolTests/ExampleRunner.swift`).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The directory holding the built `mmu` and `mmu-doc-examples`.
    static let binaries = Bundle.main.bundleURL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-newcomer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Runs `executable arguments…` in the directory, with the newcomer's environment.
    func launch(_ executable: URL, _ arguments: [String]) throws -> Completion {
        let outputFile = directory.appendingPathComponent(".stdout-\(UUID().uuidString)")
        let errorFile = directory.appendingPathComponent(".stderr-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: outputFile.path, contents: nil),
            FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        else { throw ToolRunner.Failure(description: "cannot create output files in \(directory.path)") }
        defer {
            try? FileManager.default.removeItem(at: outputFile)
            try? FileManager.default.removeItem(at: errorFile)
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["MMU_DATABASE"] = nil
        environment["HOME"] = directory.path
        environment["PATH"] = Self.binaries.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        process.waitUntilExit()
        return Completion(
            status: process.terminationStatus, output: try String(contentsOf: outputFile, encoding: .utf8),
            errors: try String(contentsOf: errorFile, encoding: .utf8))
    }

    /// Runs one block according to its role; returns the problems, empty when it ran as documented.
    func run(_ block: DocumentedBlock, swiftRuns: Int = 1) throws -> [String] {
        switch (block.role, block.language) {
        case (.file(let name), _):
            try (block.text + "\n").write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
            return []
        case (.example, "sh"):
            return try Self.commands(in: block.text).flatMap { try runShell($0, in: block) }
        case (.example, "sql"):
            return try Self.statements(in: block.text).flatMap { try runQuery($0, in: block) }
        case (.example, "swift"):
            return try runSwift(block, times: swiftRuns)
        case (.example, let language):
            return ["\(block.location): no way to run an example in '\(language)'"]
        default:
            return []
        }
    }

    /// The commands of a shell block: a line, with the indented lines after it.
    static func commands(in text: String) -> [String] {
        var commands: [String] = []
        for line in text.split(separator: "\n").map(String.init) where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            if line.first == " ", let last = commands.popLast() {
                commands.append(last + "\n" + line)
            } else {
                commands.append(line)
            }
        }
        return commands
    }

    /// The statements of an SQL block, comments removed.
    static func statements(in text: String) -> [String] {
        text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
            .joined(separator: "\n").split(separator: ";")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// The exit status a command's trailing comment announces (`# exit status 1: …`), else 0.
    static func expectedStatus(of command: String) -> Int32 {
        guard let comment = command.range(of: " # ", options: .backwards),
            let match = command[comment.upperBound...].firstMatch(of: /exit status (\d+)/)
        else { return 0 }
        return Int32(match.1) ?? 0
    }

    private func runShell(_ command: String, in block: DocumentedBlock) throws -> [String] {
        executed += 1
        let result = try launch(URL(fileURLWithPath: "/bin/bash"), ["-o", "pipefail", "-c", command])
        let expected = Self.expectedStatus(of: command)
        guard result.status == expected else {
            return ["\(block.location): `\(command)` exited \(result.status), not \(expected): \(result.errors)\(result.output)"]
        }
        return shapeProblems(of: command, result).map { "\(block.location): `\(command)`: \($0)" }
    }

    /// What a command's output must look like.
    private func shapeProblems(of command: String, _ result: Completion) -> [String] {
        let lines = result.output.split(separator: "\n").map(String.init)
        if command.contains("--generate-completion-script") {
            guard let target = command.firstMatch(of: /> ~\/(\S+)/) else { return ["no redirection to a file under ~"] }
            let text = (try? String(contentsOf: directory.appendingPathComponent(String(target.1)), encoding: .utf8)) ?? ""
            return text.contains("mmu") ? [] : ["~/\(target.1) holds no completion script for mmu"]
        }
        if command.hasPrefix("sqlite3 ") {
            let row = /0x[0-9a-f]+\|0x[0-9a-f]+\|[0-9]+/
            return !lines.isEmpty && lines.allSatisfy({ $0.wholeMatch(of: row) != nil })
                ? [] : ["expected rows of va|pa|bytes, got:\n\(result.output)"]
        }
        guard command.hasPrefix("mmu ") || command.contains("| mmu ") else { return [] }
        var problems: [String] = []
        if lines.isEmpty { problems.append("printed nothing (every mmu command says what it did)") }
        if command.contains("--json"), Self.jsonValues(result.output) == nil {
            problems.append("--json printed neither one JSON document nor JSON lines:\n\(result.output)")
        }
        if command.contains(" --csv"), lines.count < 2 || Set(lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).count }).count != 1 {
            problems.append("--csv printed no header and rows of one width:\n\(result.output)")
        }
        if command.hasPrefix("mmu check"), lines.last != "ok" { problems.append("the store is not sound:\n\(result.output)") }
        if command.hasPrefix("mmu show "), !result.output.contains(" entries") { problems.append("no entry count:\n\(result.output)") }
        if command.hasPrefix("mmu log "), let limit = command.firstMatch(of: /--limit (\d+)/), let count = Int(limit.1),
            lines.count - 2 > count
        {
            problems.append("--limit \(count) printed \(lines.count - 2) rows")
        }
        return problems
    }

    private func runQuery(_ statement: String, in block: DocumentedBlock) throws -> [String] {
        executed += 1
        let result = try launch(Self.binaries.appendingPathComponent("mmu"), ["sql", statement, "--json"])
        guard result.status == 0 else { return ["\(block.location): `mmu sql` of\n\(statement)\nexited \(result.status): \(result.errors)"] }
        guard let values = Self.jsonValues(result.output) else {
            return ["\(block.location): `mmu sql --json` printed neither one JSON document nor JSON lines:\n\(result.output)"]
        }
        let rows = values.count == 1 ? (values[0] as? [Any] ?? values) : values
        if rows.isEmpty { return ["\(block.location): no rows from\n\(statement)\n(an example should show something)"] }
        return rows.compactMap { row in
            row is [String: Any] ? nil : "\(block.location): a row that is not a JSON object: \(row)"
        }
    }

    /// The values of a `--json` output, written either as one document or as JSON lines (none
    /// for an empty output); `nil` when it is neither.
    static func jsonValues(_ output: String) -> [Any]? {
        let trimmed = output.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [] }
        if let document = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) { return [document] }
        var values: [Any] = []
        for line in trimmed.split(separator: "\n") {
            guard let value = try? JSONSerialization.jsonObject(with: Data(line.utf8)) else { return nil }
            values.append(value)
        }
        return values
    }

    private func runSwift(_ block: DocumentedBlock, times: Int) throws -> [String] {
        let copies = try SwiftExampleCopy.all()
        guard let copy = copies.first(where: { $0.matches(block) }) else {
            return ["\(block.location): no identical copy between `// example NAME begins` and `// example ends` in tools/doc-examples"]
        }
        var problems: [String] = []
        for run in 1...times {
            executed += 1
            let result = try launch(Self.binaries.appendingPathComponent("mmu-doc-examples"), [copy.name])
            if result.status != 0 || result.output.isEmpty {
                problems.append("\(block.location): the Swift example (\(copy.name)), run \(run) of \(times), exited \(result.status): \(result.errors)")
            }
        }
        return problems
    }
}
