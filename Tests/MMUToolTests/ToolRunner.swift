import Foundation

/// Runs the built `mmu` binary in a private temporary directory, as a user would.
final class ToolRunner {
    let directory: URL

    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// The `mmu` executable next to the test bundle.
    static var executable: URL {
        Bundle.main.bundleURL.appendingPathComponent("mmu")
    }

    /// Runs `mmu arguments…` with `input` on standard input and `MMU_DATABASE` unset (or set to
    /// `database`).
    @discardableResult
    func run(_ arguments: [String], input: String? = nil, database: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["MMU_DATABASE"] = database
        process.environment = environment
        let output = Pipe(), error = Pipe(), standardInput = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = standardInput
        try process.run()
        if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
        try standardInput.fileHandleForWriting.close()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
            error: String(decoding: errData, as: UTF8.self))
    }

    /// Runs a command that must succeed; returns its standard output.
    @discardableResult
    func succeed(_ arguments: [String], input: String? = nil) throws -> String {
        let result = try run(arguments, input: input)
        guard result.status == 0 else {
            throw Failure(description: "mmu \(arguments.joined(separator: " ")) exited \(result.status): \(result.error)")
        }
        return result.output
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Everything a user can read of the database, for checking that a refused command changed
    /// nothing: the sets, the log, and each set's entries, areas and snapshots.
    func state() throws -> String {
        var parts = [try succeed(["sets", "--json", "--global"]), try succeed(["log", "--json", "--limit", "1000000"])]
        for line in parts[0].split(separator: "\n") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let name = object["name"] as? String else {
                throw Failure(description: "no set name in \(line)")
            }
            parts.append(try succeed(["show", name, "--json", "--areas"]))
            parts.append(try succeed(["snapshots", name, "--json"]))
        }
        return parts.joined(separator: "\n")
    }

    /// The bytes of a file in the directory.
    func contents(_ name: String) -> Data? {
        FileManager.default.contents(atPath: directory.appendingPathComponent(name).path)
    }

    /// The names of the files in the directory.
    func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }
}
