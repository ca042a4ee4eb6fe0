import Dispatch
import Foundation
import MMUCore

/// A progress line on standard error, rewritten in place; only when it is a terminal.
struct Progress {
    /// A progress line when standard error is a terminal, else `nil` (silent).
    static var onTerminal: Progress? { isatty(STDERR_FILENO) == 1 ? Progress() : nil }

    /// Replaces the line with `text`, its control characters escaped.
    func show(_ text: String) {
        FileHandle.standardError.write(Data("\r\u{1B}[K\(TerminalText.escaped(text))".utf8))
    }

    /// Erases the line.
    func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    /// Runs `work`, showing `what` with the seconds elapsed when standard error is a terminal.
    static func during<Result>(_ what: String, _ work: () throws -> Result) rethrows -> Result {
        guard let progress = onTerminal else { return try work() }
        return try progress.during(what, work)
    }

    /// Shows `what` with the seconds elapsed, once a second, while `work` runs (work that cannot
    /// report how far it is), then erases the line.
    func during<Result>(_ what: String, _ work: () throws -> Result) rethrows -> Result {
        let queue = DispatchQueue(label: "mmu.progress")
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let start = ContinuousClock.now
        show("\(what)…")
        timer.setEventHandler {
            Progress().show("\(what)… \((ContinuousClock.now - start).components.seconds) s")
        }
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.resume()
        defer {
            queue.sync { timer.cancel() }
            clear()
        }
        return try work()
    }

    /// The number of lines of `path` when it is a regular file, read in blocks; `nil` for anything
    /// else (a FIFO is not read twice) or when it cannot be read.
    static func lines(in path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG, let file = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? file.close() }
        var count = 0
        var last: UInt8 = 10
        while let block = try? file.read(upToCount: 1 << 20), !block.isEmpty {
            count += block.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
            last = block.last ?? last
        }
        return count + (last == 10 ? 0 : 1)
    }

    /// A meter of `total` units (`entries`, `lines`) under `label`.
    func meter(_ label: String, total: Int, unit: String) -> Meter {
        Meter(progress: self, label: label, total: total, unit: unit)
    }

    /// Work counted against a known total: shows the percentage, the rate and the time left, at
    /// most four times a second.
    struct Meter {
        let progress: Progress
        let label: String
        let total: Int
        let unit: String
        let start = ContinuousClock.now
        private var shown: ContinuousClock.Instant?

        init(progress: Progress, label: String, total: Int, unit: String) {
            self.progress = progress
            self.label = label
            self.total = total
            self.unit = unit
        }

        /// Reports `done` units; the line changes at most every quarter second.
        mutating func update(_ done: Int) {
            let now = ContinuousClock.now
            if let shown, now - shown < .milliseconds(250) { return }
            shown = now
            let elapsed = now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            progress.show(Self.describe(label, done: done, total: total, unit: unit, seconds: seconds))
        }

        /// `importing 42% (420000 of 1000000 entries, 35.0k entries/s, 17 s left)`.
        static func describe(_ label: String, done: Int, total: Int, unit: String, seconds: Double) -> String {
            let done = min(done, total)
            let percent = total > 0 ? Int(Double(done) * 100 / Double(total)) : 100
            let rate = seconds > 0 ? Double(done) / seconds : 0
            let left = rate > 0 ? "\(duration(Double(total - done) / rate)) left" : "time left unknown"
            return "\(label) \(percent)% (\(done) of \(total) \(unit), \(count(rate)) \(unit)/s, \(left))"
        }

        /// `950`, `35.0k`, `1.2M`.
        static func count(_ value: Double) -> String {
            switch value {
            case 1e6...: String(format: "%.1fM", value / 1e6)
            case 1e3...: String(format: "%.1fk", value / 1e3)
            default: String(format: "%.0f", value)
            }
        }

        /// `17 s`, `3 min 5 s`, `2 h 4 min`.
        static func duration(_ seconds: Double) -> String {
            let whole = Int(seconds.rounded(.up))
            switch whole {
            case ..<60: return "\(whole) s"
            case ..<3600: return "\(whole / 60) min \(whole % 60) s"
            default: return "\(whole / 3600) h \(whole % 3600 / 60) min"
            }
        }
    }
}
