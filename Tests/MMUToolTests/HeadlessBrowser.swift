import Foundation
import MMUTestSupport

/// Chromium driven headless, for the tests of `mmu render`: a screenshot (read back pixel by
/// pixel with tools/render/png_pixels.py), the DOM after the page's script ran, and every
/// console message (a request the page attempts is refused by its Content Security Policy and
/// reported there). Each run has its own profile directory and a deadline.
struct HeadlessBrowser {
    /// What the browser printed and left.
    struct Page {
        /// The DOM after the script ran (`--dump-dom`), or the empty string for a screenshot.
        var dom: String
        /// Every console message of the page (`INFO:CONSOLE` lines of Chromium's log).
        var console: [String]
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The window size: the map (1,200 pixels wide) is at the page's top left.
    static let window = (width: 1280, height: 1000)

    /// The virtual milliseconds Chromium lets the page run before it dumps the DOM or takes the
    /// screenshot: virtual time jumps ahead whenever the page is idle, so the budget is not waited
    /// out in real time, and the page's asynchronous decoding (real work, not timers) finishes
    /// before it runs out.
    static let virtualTimeBudget = 60_000

    /// The Chromium executable, or a failure saying how to install it.
    static func executable() throws -> String {
        for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/local/bin/chromium"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw Failure(description: "Chromium is not installed, and the render tests drive it headless: install it with `apt-get install chromium` (as root; .ci/run does it)")
    }

    /// Loads `file` (with the URL fragment `fragment`) and returns its DOM after the script ran.
    /// The page draws once the browser has inflated its data, asynchronously: the DOM is taken
    /// after the page's pending work (a virtual-time budget) and must show `data-ready`.
    static func dom(of file: URL, fragment: String = "") throws -> Page {
        let page = try run(file, fragment: fragment, mode: ["--dump-dom"])
        guard page.dom.contains("data-ready=\"1\"") else {
            throw Failure(description: "\(file.path) never said it was ready (no data-ready on #status); console: \(page.console)")
        }
        return page
    }

    /// Loads `file` and saves a screenshot of the window to `png`, taken after the page's
    /// pending work (a virtual-time budget), so once its asynchronous drawing is done.
    static func screenshot(of file: URL, fragment: String = "", to png: URL) throws -> Page {
        let page = try run(file, fragment: fragment, mode: ["--screenshot=\(png.path)"])
        guard FileManager.default.fileExists(atPath: png.path) else { throw Failure(description: "Chromium wrote no screenshot to \(png.path)") }
        return page
    }

    /// The colours (`#rrggbb`) of `points` in the PNG at `png`.
    static func colours(in png: URL, at points: [(x: Int, y: Int)]) throws -> [String] {
        let script = PythonEnvironment.packageRoot.appendingPathComponent("tools/render/png_pixels.py").path
        let result = try PythonEnvironment.run([script, png.path] + points.map { "\($0.x),\($0.y)" })
        guard result.status == 0 else { throw Failure(description: "png_pixels.py failed: \(result.errors)") }
        return result.output.split(separator: "\n").map { String($0.split(separator: " ").last ?? "") }
    }

    private static func run(_ file: URL, fragment: String, mode: [String]) throws -> Page {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable())
        var url = file.absoluteURL.absoluteString
        if !fragment.isEmpty { url += "#" + fragment }
        process.arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars", "--force-device-scale-factor=1",
            "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0",
            "--window-size=\(window.width),\(window.height)", "--virtual-time-budget=\(virtualTimeBudget)",
        ] + mode + [url]
        let output = profile.appendingPathComponent("stdout"), errors = profile.appendingPathComponent("stderr")
        guard FileManager.default.createFile(atPath: output.path, contents: nil), FileManager.default.createFile(atPath: errors.path, contents: nil) else {
            throw Failure(description: "cannot create Chromium's output files in \(profile.path)")
        }
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let end = Date().addingTimeInterval(120)
        while process.isRunning && Date() < end { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw Failure(description: "Chromium did not finish with \(url) within 120 s")
        }
        process.waitUntilExit()
        let log = try String(contentsOf: errors, encoding: .utf8)
        guard process.terminationStatus == 0 else {
            throw Failure(description: "Chromium exited \(process.terminationStatus) on \(url): \(log.suffix(2000))")
        }
        return Page(
            dom: try String(contentsOf: output, encoding: .utf8),
            console: log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init))
    }
}
