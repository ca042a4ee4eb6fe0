import Foundation

/// How long a rendered page takes in headless Chromium from the start of its navigation until
/// its script marks `#status` with `data-ready` (data inflated and decoded, map, history and
/// listing drawn), on the page's own clock (`performance.now()`): an observer placed in a copy
/// of the page, ahead of the page's script, writes the time onto `#status`.
struct PageLoadTiming {
    /// The Chromium executable.
    let chromium: String

    /// Finds Chromium.
    ///
    /// - Throws: ``BenchmarkError`` naming the package when it is not installed.
    init() throws {
        guard let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/local/bin/chromium"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw BenchmarkError("the render benchmark times the page in headless Chromium, which is not installed: apt-get install chromium")
        }
        chromium = found
    }

    /// The observer: on the first attribute change after `data-ready` appears, the time since navigation start.
    static let observer = """
        <script>new MutationObserver(function () { var s = document.getElementById("status"); \
        if (s && s.dataset.ready && !s.dataset.readyAt) s.dataset.readyAt = String(performance.now()); }).observe(document.documentElement, { attributes: true, subtree: true });</script>
        """

    /// Seconds from navigation start to `data-ready` for the page at `path`; the timed copy,
    /// Chromium's profile and its output go to `directory`.
    ///
    /// - Throws: ``BenchmarkError`` when Chromium fails, the page logs to the console, or it is not ready when Chromium takes its DOM.
    func secondsToReady(of path: String, in directory: URL) throws -> Double {
        let page = try String(contentsOfFile: path, encoding: .utf8)
        guard let body = page.range(of: "<body>") else { throw BenchmarkError("\(path) has no <body> to place the timing observer after") }
        let timed = directory.appendingPathComponent("timed.html")
        try (page[..<body.upperBound] + Self.observer + page[body.upperBound...]).write(to: timed, atomically: false, encoding: .utf8)
        // A fresh profile each time, inside `directory` (removed with it).
        let profile = directory.appendingPathComponent("chromium-profile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        let output = directory.appendingPathComponent("dom.html"), errors = directory.appendingPathComponent("chromium.log")
        guard FileManager.default.createFile(atPath: output.path, contents: nil), FileManager.default.createFile(atPath: errors.path, contents: nil) else {
            throw BenchmarkError("cannot create Chromium's output files in \(directory.path)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile.path)",
            "--enable-logging=stderr", "--v=0", "--window-size=1280,1000", "--timeout=60000", "--dump-dom", timed.absoluteString,
        ]
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let log = try String(contentsOf: errors, encoding: .utf8)
        guard process.terminationStatus == 0 else { throw BenchmarkError("Chromium exited \(process.terminationStatus) on \(timed.path): \(log.suffix(2000))") }
        let console = log.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        guard console.isEmpty else { throw BenchmarkError("the page at \(path) wrote to the console: \(console.joined(separator: "\n"))") }
        let dom = try String(contentsOf: output, encoding: .utf8)
        guard let match = dom.firstMatch(of: /data-ready-at="([0-9.]+)"/), let milliseconds = Double(match.1) else {
            throw BenchmarkError("the page at \(path) was not ready when Chromium took its DOM")
        }
        return milliseconds / 1000
    }
}
