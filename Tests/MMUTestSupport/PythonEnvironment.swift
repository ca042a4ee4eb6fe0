import Foundation

/// The one pinned Python environment the tests' tools run in (the Unicorn oracle, JSON Schema
/// validation): `.build/python-venv`, created on first use by `tools/python/provision` from
/// `tools/python/requirements.txt`, so that `swift test` alone is the whole set-up.
///
/// A test that needs Python calls ``python()`` (or ``run(_:)``); when the environment cannot be
/// provisioned, the call throws ``ProvisioningError`` with the reason and the fix, and the test
/// fails. Nothing is ever skipped for want of a tool.
public enum PythonEnvironment {
    /// The package's root directory (this file is `Tests/MMUTestSupport/PythonEnvironment.swift`).
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The script that creates or refreshes the environment and prints its interpreter.
    public static let provisionScript = packageRoot.appendingPathComponent("tools/python/provision")

    /// The environment's interpreter, provisioning the environment first the first time a
    /// process asks (once per process, whichever thread asks first; the script's lock serialises
    /// concurrent test processes).
    ///
    /// - Throws: ``ProvisioningError`` naming what could not be installed and how to fix it.
    public static func python() throws(ProvisioningError) -> URL {
        try provisioned.get()
    }

    /// Runs the environment's interpreter with `arguments` (a script and its arguments) and
    /// waits for it.
    ///
    /// - Throws: ``ProvisioningError`` when the environment cannot be provisioned, or the error
    ///   of starting the process.
    public static func run(_ arguments: [String]) throws -> Completion {
        let interpreter = try python()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-python-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outputFile = scratch.appendingPathComponent("stdout"), errorFile = scratch.appendingPathComponent("stderr")
        guard FileManager.default.createFile(atPath: outputFile.path, contents: nil),
            FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        else { throw ProvisioningError(description: "cannot create files for the interpreter's output in \(scratch.path)") }
        let process = Process()
        process.executableURL = interpreter
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        process.waitUntilExit()
        return Completion(
            status: process.terminationStatus,
            output: try String(contentsOf: outputFile, encoding: .utf8),
            errors: try String(contentsOf: errorFile, encoding: .utf8))
    }

    /// How a Python run ended.
    public struct Completion: Sendable {
        /// The exit status.
        public var status: Int32
        /// Everything written to standard output.
        public var output: String
        /// Everything written to standard error.
        public var errors: String
    }

    /// The environment could not be provisioned; the description says why and how to fix it.
    public struct ProvisioningError: Error, CustomStringConvertible, Sendable {
        /// What went wrong, with the provision script's own explanation.
        public let description: String
    }

    /// The outcome of provisioning, computed once per process on first use.
    private static let provisioned = provision(running: provisionScript)

    /// Runs a provision script (``provisionScript`` for ``python()``; another one to test the
    /// failure path) and checks the interpreter it prints last.
    public static func provision(running script: URL) -> Result<URL, ProvisioningError> {
        let process = Process()
        process.executableURL = script
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            return .failure(ProvisioningError(description: "cannot run \(script.path): \(error)"))
        }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lines = text.split(separator: "\n").map(String.init)
        guard process.terminationStatus == 0, let path = lines.last else {
            return .failure(ProvisioningError(description: """
                the tests' Python environment could not be provisioned \
                (\(script.path) exited \(process.terminationStatus)):
                \(text)
                """))
        }
        let notices = lines.dropLast()
        if !notices.isEmpty { FileHandle.standardError.write(Data((notices.joined(separator: "\n") + "\n").utf8)) }
        guard FileManager.default.isExecutableFile(atPath: path) else {
            return .failure(ProvisioningError(description: "\(script.path) named \(path), which is not an executable interpreter"))
        }
        return .success(URL(fileURLWithPath: path))
    }
}
