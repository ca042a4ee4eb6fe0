import ArgumentParser
import Foundation
import MMUCapture
import MMUCore
import MMUStore
import MMUTestSupport

/// `mmu-capture-soak`: kills capture targets at random moments during their capture and checks
/// that every committed capture holds the target's whole memory.
@main
struct CaptureSoak: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mmu-capture-soak",
        abstract: "Kill capture targets with SIGKILL at random moments during their capture; check every committed capture.",
        discussion: """
            Each target is this program run with --target: it maps an anonymous area in 4 KiB pages, faults every page \
            in and reports its address and page count. A capture either fails with a CaptureError (nothing is \
            committed) or is committed to a store and must then hold every page of the area. Every other kill comes \
            while the area's pagemap is read (once the capturing thread has read a random number of bytes, from its \
            rchar in /proc), the others after a delay spread over the time an uninterrupted capture takes. Exits 1 if \
            any committed capture missed a page.
            """)

    @Option(help: "How many targets to kill.") var kills = 200
    @Option(help: "Stop starting targets after this many seconds.") var seconds = 600
    @Option(help: "The size of each target's area in MiB (a capture reads 64 Ki pages per pagemap read).") var megabytes = 512
    @Option(help: "The seed (default: random, printed).") var seed: UInt64?
    @Option(help: "The store to commit to (default: one in a new temporary folder, removed unless something failed).") var database: String?
    @Option(help: ArgumentHelp("Run as a target with an area of this many MiB.", visibility: .hidden)) var target: Int?
    @Flag(help: ArgumentHelp("Drop the last entry in the area of every committed capture (the fault the soak exists to catch).", visibility: .hidden))
    var plantTruncation = false

    func validate() throws {
        guard kills > 0, seconds > 0 else { throw ValidationError("--kills and --seconds must be positive") }
        guard (1...65536).contains(megabytes) else { throw ValidationError("--megabytes must be between 1 and 65536") }
    }

    func run() throws {
        if let target {
            CaptureTarget.run(megabytes: target)
        }
        let seed = seed ?? UInt64.random(in: 0...UInt64.max)
        var generator = SplitMix64(seed: seed)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-capture-soak-\(UUID().uuidString)")
        if database == nil { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let path = database ?? folder.appendingPathComponent("soak.sqlite").path
        let store = try TranslationStore(path: path, creatingIfMissing: true)
        print("capture soak: \(kills) kills within \(seconds) s, \(megabytes) MiB targets, seed \(seed), store \(path)")
        let start = Date()
        let calibration = try CaptureTarget.launch(megabytes: megabytes)
        kill(calibration.pid, SIGSTOP)
        let clock = ContinuousClock()
        let calibrationStart = clock.now
        var whole = try ProcessCapture.capture(processID: calibration.pid)
        let captureTime = clock.now - calibrationStart
        calibration.end()
        if plantTruncation { calibration.dropLastPage(of: &whole) }
        var summary = SoakSummary()
        if let problem = calibration.check(whole.entries) { summary.violations.append("stopped target: \(problem)") }
        let longest = max(Int(captureTime.components.seconds * 1_000_000 + captureTime.components.attoseconds / 1_000_000_000_000) * 3 / 2, 1000)
        print("an uninterrupted capture of a stopped target takes \(captureTime); every other kill comes while the area's pagemap is read (after a random number of bytes read), the others 0 to \(longest) µs after the capture starts")
        while summary.kills < kills, Date().timeIntervalSince(start) < Double(seconds) {
            let target = try CaptureTarget.launch(megabytes: megabytes)
            // Every other kill comes while the area's pagemap is read, the others at any time.
            let trigger: KillTrigger =
                summary.kills % 2 == 0
                ? .bytesRead(generator.next() % (target.area.pageCount * 8)) : .delay(microseconds: UInt32(generator.next() % UInt64(longest + 1)))
            let pid = target.pid
            let result = try trigger.kill(pid) {
                Result { () throws(CaptureError) -> ProcessCapture in try ProcessCapture.capture(processID: pid) }
            }
            target.end()
            summary.kills += 1
            switch result {
            case .failure(let error):
                summary.refused[Self.reason(error), default: 0] += 1
            case .success(var capture):
                if plantTruncation { target.dropLastPage(of: &capture) }
                let name = "target-\(summary.kills)"
                try store.update(set: name, label: "capture of pid \(pid)", creating: .init()) { tx in try capture.apply(to: tx) }
                let stored = try store.translationSet(named: name).entries
                if let problem = target.check(stored) {
                    summary.violations.append("kill \(summary.kills) (pid \(pid), \(trigger)): \(problem)")
                    FileHandle.standardError.write(Data("VIOLATION \(summary.violations.last!)\n".utf8))
                } else {
                    summary.committed += 1
                }
            }
            if summary.kills % max(kills / 10, 1) == 0 || summary.kills == kills {
                FileHandle.standardError.write(Data("\(summary.kills)/\(kills) kills: \(summary.line)\n".utf8))
            }
        }
        print("\(summary.kills) kills in \(String(format: "%.1f", Date().timeIntervalSince(start))) s: \(summary.line)")
        guard summary.violations.isEmpty else {
            print("\(summary.violations.count) committed captures missed pages (store kept: \(path)):")
            for violation in summary.violations.prefix(20) { print("  \(violation)") }
            throw ExitCode(1)
        }
        if database == nil { try FileManager.default.removeItem(at: folder) }
    }

    /// The kind of refusal, for the summary.
    static func reason(_ error: CaptureError) -> String {
        switch error {
        case .noSuchProcess: "no such process"
        case .processExited(_, let file): "exited during \(file.split(separator: "/").last ?? "")"
        case .changedDuringCapture: "maps changed"
        default: "\(error)"
        }
    }
}
