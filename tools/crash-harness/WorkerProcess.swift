import Foundation

/// A running `mmu-crash-worker` child: its standard output is read line by line as it comes,
/// so acknowledgements printed before a kill are never lost and a chatty worker never blocks
/// on a full pipe.
public final class WorkerProcess: @unchecked Sendable {
    /// The worker executable: `$MMU_CRASH_WORKER`, or `mmu-crash-worker` next to the running
    /// program (the test bundle or the soak tool, which SwiftPM builds into the same folder).
    public static var executable: URL {
        if let override = ProcessInfo.processInfo.environment["MMU_CRASH_WORKER"] {
            return URL(fileURLWithPath: override)
        }
        return Bundle.main.bundleURL.appendingPathComponent("mmu-crash-worker")
    }

    /// How a worker ended.
    public struct Outcome: Sendable {
        /// The exit status, or the signal number when it was killed by one.
        public var status: Int32
        /// Whether `status` is a signal number.
        public var wasSignalled: Bool
        /// Every line it printed on standard output.
        public var lines: [String]
        /// What it printed on standard error.
        public var errorOutput: String

        /// The acknowledgements among the lines, in order.
        public var acknowledgements: [Acknowledgement] { lines.compactMap(Acknowledgement.init(line:)) }

        /// The `ERROR` line, if the worker reported one.
        public var errorLine: String? { lines.first { $0.hasPrefix("ERROR ") } }

        /// `exit N` or `signal N`, with the error line if any.
        public var summary: String {
            (wasSignalled ? "signal \(status)" : "exit \(status)") + (errorLine.map { ": \($0)" } ?? "")
                + (errorOutput.isEmpty ? "" : " (stderr: \(errorOutput.prefix(400)))")
        }
    }

    private let process = Process()
    private let lock = NSLock()
    private var output = Data()
    private var errors = Data()
    private let readers = DispatchGroup()

    /// Starts the worker with `arguments`.
    ///
    /// - Throws: ``HarnessError`` when it cannot be started.
    public init(_ arguments: [String]) throws(HarnessError) {
        process.executableURL = Self.executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let standardOutput = Pipe(), standardError = Pipe()
        process.standardOutput = standardOutput
        process.standardError = standardError
        do {
            try process.run()
        } catch {
            throw HarnessError("cannot start \(Self.executable.path): \(error)")
        }
        drain(standardOutput.fileHandleForReading, isErrorOutput: false)
        drain(standardError.fileHandleForReading, isErrorOutput: true)
    }

    /// Reads `handle` to its end on a thread of its own, appending to the output or errors.
    private func drain(_ handle: FileHandle, isErrorOutput: Bool) {
        readers.enter()
        let thread = Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.lock()
                if isErrorOutput { errors.append(chunk) } else { output.append(chunk) }
                lock.unlock()
            }
            readers.leave()
        }
        thread.start()
    }

    /// The process id.
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Whether the worker has not ended yet.
    public var isRunning: Bool { process.isRunning }

    /// The complete lines printed so far.
    public var linesSoFar: [String] {
        lock.lock()
        defer { lock.unlock() }
        return Self.lines(of: output)
    }

    /// Sends SIGKILL.
    public func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits for the worker to end and for its output to be read to the end.
    public func wait() -> Outcome {
        process.waitUntilExit()
        readers.wait()
        lock.lock()
        defer { lock.unlock() }
        return Outcome(
            status: process.terminationStatus, wasSignalled: process.terminationReason == .uncaughtSignal,
            lines: Self.lines(of: output), errorOutput: String(decoding: errors, as: UTF8.self))
    }

    /// Waits until a line starting with `prefix` has been printed, or the worker ended, or
    /// `timeout` seconds passed; returns whether the line came.
    public func waitForLine(startingWith prefix: String, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if linesSoFar.contains(where: { $0.hasPrefix(prefix) }) { return true }
            if !process.isRunning { return linesSoFar.contains(where: { $0.hasPrefix(prefix) }) }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return false
    }

    /// The complete lines of `data`: a last line without its newline is dropped (a worker
    /// killed mid-line never finished acknowledging it).
    static func lines(of data: Data) -> [String] {
        var text = String(decoding: data, as: UTF8.self)
        if !text.hasSuffix("\n") {
            if let lastNewline = text.lastIndex(of: "\n") {
                text = String(text[...lastNewline])
            } else {
                text = ""
            }
        }
        return text.split(separator: "\n").map(String.init)
    }

    /// Starts the worker with `arguments` and waits for it to end.
    ///
    /// - Throws: ``HarnessError`` when it cannot be started.
    public static func run(_ arguments: [String]) throws(HarnessError) -> Outcome {
        try WorkerProcess(arguments).wait()
    }
}
