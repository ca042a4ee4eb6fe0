import Foundation

/// Runs the built `mmu` binary as a child with a deadline, so that a command that blocks (on a
/// FIFO, say) fails its test instead of hanging the suite; and lets a test kill it mid-work.
final class DeadlineRunner {
    /// The private working directory, also the child's current directory.
    let directory: URL
    /// The child's temporary directory (its `TMPDIR`), to see what it leaves behind.
    let temporary: URL

    struct Result {
        var status: Int32
        var output: String
        var error: String
        /// Whether the deadline passed and the child was killed.
        var timedOut: Bool
    }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-deadline-\(UUID().uuidString)")
        temporary = directory.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// The path of `name` in the working directory.
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Starts `mmu arguments…` with its standard streams in files.
    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = ToolRunner.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["MMU_DATABASE"] = nil
        environment["TMPDIR"] = temporary.path
        process.environment = environment
        for stream in [".stdout", ".stderr"] {
            guard FileManager.default.createFile(atPath: path(stream), contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: path(".stdout")))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: path(".stderr")))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `mmu arguments…`, killing it after `deadline` seconds.
    func run(_ arguments: [String], deadline: TimeInterval = 30) throws -> Result {
        let process = try start(arguments)
        let end = Date().addingTimeInterval(deadline)
        while process.isRunning && Date() < end { usleep(10_000) }
        let timedOut = process.isRunning
        if timedOut { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            output: String(decoding: FileManager.default.contents(atPath: path(".stdout")) ?? Data(), as: UTF8.self),
            error: String(decoding: FileManager.default.contents(atPath: path(".stderr")) ?? Data(), as: UTF8.self),
            timedOut: timedOut)
    }

    /// What is left in the child's temporary directory (recursively).
    func leftovers() -> [String] {
        FileManager.default.enumerator(atPath: temporary.path)?.compactMap { $0 as? String } ?? []
    }
}
