import Foundation
import MMUCapture
import MMUCore
import MMUDemo
import MMUStore

/// End to end: the capture of a live process with at least 1 GiB resident (and the recording of
/// the lackey trace that ``ReplayBenchmarks`` replays).
struct EndToEndBenchmarks {
    let quick: Bool
    let runs: Int

    /// The repository's root (for tools/trace-capture).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func run(progress: (String) -> Void) throws -> [Measurement] {
        var results: [Measurement] = []
        results.append(contentsOf: try capture(progress: progress))
        return results
    }

    /// Runs `command` with `arguments`, failing with its standard error.
    static func run(_ command: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkError("\(command) failed: \(String(decoding: message.suffix(400), as: UTF8.self))")
        }
    }

    /// Records `tools/trace-capture/lackey-work.c` under valgrind lackey with enough updates for
    /// 10M accesses (the shipped 55k-access fixture with --quick).
    func trace(in directory: URL, progress: (String) -> Void) throws -> (trace: String, layout: String) {
        if quick {
            guard let trace = TraceFixture.lackeyDemo.path, let layout = TraceFixture.lackeyDemo.layoutPath else {
                throw BenchmarkError("the MMUSimulation fixtures are missing")
            }
            return (trace, layout)
        }
        progress("recording a 10M-access lackey trace (gcc, valgrind)")
        let program = directory.appendingPathComponent("lackey-work").path
        let trace = directory.appendingPathComponent("work.lackey").path, layout = directory.appendingPathComponent("work.maps").path
        try Self.run("gcc", ["-O1", "-static", "-o", program, Self.root.appendingPathComponent("tools/trace-capture/lackey-work.c").path])
        try Self.run("valgrind", ["--tool=lackey", "--trace-mem=yes", "--log-file=\(trace)", program, layout, "1100000"])
        return (trace, layout)
    }

    /// Starts a child process holding `bytes` of touched anonymous memory, captures it, and
    /// commits the capture, timing each.
    func capture(progress: (String) -> Void) throws -> [Measurement] {
        let bytes = quick ? 64 << 20 : 1 << 30
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        child.arguments = ["python3", "-c", "import sys, time\nb = bytearray(\(bytes))\nfor i in range(0, len(b), 4096): b[i] = 1\nprint('ready', flush=True)\ntime.sleep(600)"]
        let output = Pipe()
        child.standardOutput = output
        child.standardError = FileHandle.nullDevice
        try child.run()
        // SIGKILL: SIGTERM may be ignored in what this process inherited (under `swift test`
        // it was, and the child slept on for its full ten minutes).
        defer {
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
        }
        progress("capture: waiting for a child with \(bytes >> 20) MiB resident")
        _ = output.fileHandleForReading.availableData
        var captures: [Double] = [], commits: [Double] = []
        var pages = 0
        for runIndex in 0..<runs {
            progress("capture run \(runIndex + 1)/\(runs)")
            let store = try TranslationStore(path: directory.appendingPathComponent("capture-\(runIndex).sqlite").path, creatingIfMissing: true)
            var captured: ProcessCapture?
            captures.append(try seconds { captured = try ProcessCapture.capture(processID: child.processIdentifier) })
            guard let captured else { throw BenchmarkError("no capture") }
            pages = captured.presentPages
            commits.append(try seconds {
                try store.update(set: "captured", creating: .init()) { tx in try captured.apply(to: tx) }
            })
        }
        return [
            Measurement(operation: "capture a live process with \(bytes >> 20) MiB resident (/proc, \(pages) present pages)", unit: "s", higherIsBetter: false, ours: captures, target: "-"),
            Measurement(operation: "commit that capture as one transaction", unit: "s", higherIsBetter: false, ours: commits, target: "-"),
        ]
    }
}
