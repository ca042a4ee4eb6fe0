import ArgumentParser
import Foundation
import MMUCapture
import MMUStore

extension MMUCommand {
    /// `mmu capture`: records a live process's address space as one transaction.
    struct Capture: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Capture a live process's address space from /proc (maps, pagemap, kpageflags) as one transaction.",
            discussion: """
                The set is named after the process (COMM-PID) unless --set says otherwise; capturing the same \
                process again writes only what changed as the next generation of the same set, so \
                `mmu diff SET@0 SET` shows what it changed. A process that exits or keeps changing its areas \
                while it is read fails the capture, and nothing is written. Frame numbers need CAP_SYS_ADMIN \
                (root); without it the capture fails rather than store fake frames.
                """)

        @OptionGroup var store: StoreOptions
        @Option(parsing: .unconditional, help: "The process to capture (a positive number).") var pid: Int32?
        @Flag(name: .customLong("self"), help: "Capture this mmu process itself.") var capturesSelf = false
        @Option(help: "The set to write (default: COMM-PID).") var set: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard (pid == nil) != !capturesSelf else { throw ValidationError("give exactly one of --pid PID and --self") }
            if let pid, pid <= 0 { throw ValidationError("\(CaptureError.invalidProcessID(pid))") }
        }

        struct Report: Encodable {
            let set: String, generation: Int64, areas: Int, entries: Int, presentPages: Int, swappedPages: Int
            let fileBackedPages: Int, unreadablePages: Int, hugePages: Int, hugePagesChecked: Bool
        }

        func run() throws {
            let captured: ProcessCapture
            do {
                captured = try capturesSelf ? ProcessCapture.captureCurrentProcess() : ProcessCapture.capture(processID: pid ?? 0)
            } catch {
                throw CommandFailure("\(error); nothing was written")
            }
            guard captured.frameNumbersVisible else {
                throw CommandFailure("/proc/\(captured.processID)/pagemap hides frame numbers (needs CAP_SYS_ADMIN); nothing was written")
            }
            let name = set ?? Self.defaultName(for: captured.processID)
            let commit = try store.open().update(set: name, label: "capture of pid \(captured.processID)", creating: .init()) { tx in
                try captured.apply(to: tx)
            }
            let report = Report(
                set: name, generation: commit.generation, areas: captured.areas.count, entries: captured.entries.count,
                presentPages: captured.presentPages, swappedPages: captured.swappedPages, fileBackedPages: captured.fileBackedPages,
                unreadablePages: captured.unreadablePages, hugePages: captured.hugePages, hugePagesChecked: captured.hugePagesChecked)
            if output.json {
                try Output.jsonLine(report)
            } else {
                print("captured pid \(captured.processID) into set '\(name)' (generation \(commit.generation)): \(Output.count(report.areas, "area")), \(Output.count(report.entries, "entry", "entries")) for \(Output.count(report.presentPages, "present page")) (\(report.fileBackedPages) file-backed, \(report.swappedPages) swapped, \(report.hugePages) in huge pages\(captured.hugePagesChecked ? "" : ", huge pages not checked: /proc/kpageflags unreadable"), \(captured.copyOnWritePages) read-only until written)")
            }
        }

        /// `COMM-PID`, with the command name made a valid set name.
        static func defaultName(for pid: Int32) -> String {
            let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "process"
            let cleaned = String(comm.map { "@:/ ".contains($0) ? "_" : $0 })
            return "\(cleaned.isEmpty ? "process" : cleaned)-\(pid)"
        }
    }
}
