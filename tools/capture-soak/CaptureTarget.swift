import Foundation
import MMUCore
import MMUSimulation

/// A capture target: this program run with `--target MiB`, holding an anonymous area whose every
/// page is present.
struct CaptureTarget {
    /// The target's pid.
    let pid: Int32
    /// The pages of its area.
    let area: VirtualRange
    let process: Process

    /// The target's side: maps and faults in the area, reports `ready START PAGES`, then waits to be killed (or for its soak to end).
    static func run(megabytes: Int) -> Never {
        let parent = getppid()
        let length = megabytes << 20
        guard let area = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0),
            area != MAP_FAILED
        else {
            FileHandle.standardError.write(Data("target: mmap of \(megabytes) MiB failed: \(String(cString: strerror(errno)))\n".utf8))
            exit(1)
        }
        for offset in stride(from: 0, to: length, by: 4096) { area.storeBytes(of: 1, toByteOffset: offset, as: UInt8.self) }
        FileHandle.standardOutput.write(Data("ready \(String(UInt(bitPattern: area), radix: 16)) \(length >> 12)\n".utf8))
        // Outlives no soak: a target whose soak died (its parent changed) ends itself.
        while getppid() == parent { sleep(1) }
        exit(0)
    }

    /// Starts a target and waits for its report.
    static func launch(megabytes: Int) throws -> CaptureTarget {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["--target", "\(megabytes)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let fields = String(decoding: line, as: UTF8.self).split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard fields.count == 3, fields[0] == "ready", let start = UInt64(fields[1], radix: 16), let pages = UInt64(fields[2]) else {
            process.terminate()
            throw CaptureSoakError(message: "target \(process.processIdentifier) did not report 'ready START PAGES': '\(String(decoding: line, as: UTF8.self))'")
        }
        return CaptureTarget(pid: process.processIdentifier, area: VirtualRange(pages: (start >> 12)..<((start >> 12) + pages)), process: process)
    }

    /// Kills the target (if still running) and reaps it.
    func end() {
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }

    /// Removes the capture's last entry in the area: the fault the soak exists to catch, planted.
    func dropLastPage(of capture: inout ProcessCapture) {
        if let last = capture.entries.lastIndex(where: { $0.range.overlaps(area) }) { capture.entries.remove(at: last) }
    }

    /// What is wrong with captured entries for the target's area: a page of it not covered
    /// (every page was present when it reported), or a frame 0; `nil` when whole.
    func check(_ entries: [MMUEntry]) -> String? {
        let inside = entries.filter { $0.range.overlaps(area) }
        let covered = inside.reduce(UInt64(0)) { $0 + ($1.range.intersection(area)?.pageCount ?? 0) }
        if covered != area.pageCount { return "\(covered) of the area's \(area.pageCount) present pages stored" }
        if inside.contains(where: { $0.frameNumber == 0 }) { return "a frame number 0 stored" }
        return nil
    }
}

/// A target that did not start as expected.
struct CaptureSoakError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
