import Foundation
import MMUCapture
import MMUCore

/// A capture target: this program run with `--target MiB`, holding an anonymous area whose every
/// page is present.
struct CaptureTarget {
    /// The target's pid.
    let pid: Int32
    /// The pages of its area.
    let area: VirtualRange

    /// The target's side: maps the area, faults in every page, reports `ready START PAGES`, then
    /// waits to be killed (or for its soak to end).
    ///
    /// The area is held in 4 KiB pages (`MADV_NOHUGEPAGE`): then its pagemap read takes long
    /// enough to be killed in the middle of, and so does its exit, which frees every page. While
    /// a killed target frees its memory, it is not yet a zombie, and its pagemap and maps read
    /// as empty: the window in which a capture that takes a short read for the end of the area
    /// commits most of the area missing (the audit's 65,536 of 262,144 pages).
    static func run(megabytes: Int) -> Never {
        let parent = getppid()
        let length = megabytes << 20
        guard let area = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), area != MAP_FAILED,
            madvise(area, length, MADV_NOHUGEPAGE) == 0
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

    /// Starts a target and waits for its report. The target is spawned, not run through
    /// Foundation's `Process`, so that nothing reaps it behind the soak's back: its pid stays
    /// its own (a zombie after a kill) until ``end()``, and no kill can reach a reused pid.
    static func launch(megabytes: Int) throws -> CaptureTarget {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { throw CaptureSoakError(message: "pipe: \(String(cString: strerror(errno)))") }
        defer { close(descriptors[0]) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, descriptors[1], STDOUT_FILENO)
        posix_spawn_file_actions_addclose(&actions, descriptors[0])
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let arguments = [executable, "--target", "\(megabytes)"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, &argv, environ)
        close(descriptors[1])
        guard spawned == 0 else { throw CaptureSoakError(message: "cannot start \(executable): \(String(cString: strerror(spawned)))") }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while line.last != UInt8(ascii: "\n"), line.count < 200, read(descriptors[0], &byte, 1) == 1 { line.append(byte) }
        let text = String(decoding: line, as: UTF8.self)
        let fields = text.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard fields.count == 3, fields[0] == "ready", let start = UInt64(fields[1], radix: 16), let pages = UInt64(fields[2]),
            pages > 0
        else {
            end(pid)
            throw CaptureSoakError(message: "target \(pid) did not report 'ready START PAGES': '\(text)'")
        }
        return CaptureTarget(pid: pid, area: VirtualRange(pages: (start >> 12)..<((start >> 12) + pages)))
    }

    /// Kills the target (if still running) and reaps it.
    func end() { Self.end(pid) }

    /// Kills a child of this process (if still running) and reaps it.
    static func end(_ pid: pid_t) {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
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
