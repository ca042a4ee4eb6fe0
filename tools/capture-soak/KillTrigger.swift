import Foundation
import Synchronization

/// When the soak kills a target, relative to its capture.
enum KillTrigger: CustomStringConvertible {
    /// After this many microseconds: anywhere in the capture.
    case delay(microseconds: UInt32)
    /// Once the capturing thread has read this many more bytes: in the middle of the area's
    /// pagemap read, which is a small part of a capture's time (building the entries takes most
    /// of it), so that delays alone seldom land there.
    case bytesRead(UInt64)

    var description: String {
        switch self {
        case .delay(let microseconds): "\(microseconds) µs"
        case .bytesRead(let bytes): "after \(bytes) bytes read"
        }
    }

    /// Kills `pid` on another thread when the trigger fires (a byte trigger counts the bytes the
    /// calling thread reads), runs `capture`, and returns its result once the kill is done; a
    /// byte trigger that `capture` never reaches fires when it returns.
    ///
    /// - Throws: When this thread's read count cannot be read.
    func kill<T>(_ pid: pid_t, during capture: () -> T) throws -> T {
        // /proc/thread-self links to PID/task/TID of the calling thread.
        let thread = "/proc/" + (try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) + "/io"
        let start = try Self.bytesRead(from: thread)
        let finished = Flag()
        let killed = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { [self] in
            switch self {
            case .delay(let microseconds):
                usleep(microseconds)
            case .bytesRead(let bytes):
                do {
                    while !finished.isSet, try Self.bytesRead(from: thread) < start + bytes {}
                } catch {
                    // The count became unreadable: kill now.
                }
            }
            Glibc.kill(pid, SIGKILL)
            killed.signal()
        }
        let result = capture()
        finished.set()
        killed.wait()
        return result
    }

    /// The bytes a thread has read so far, from its `io` file in /proc (`rchar`).
    ///
    /// - Throws: ``CaptureSoakError`` when the file cannot be read or holds no `rchar` line.
    static func bytesRead(from path: String) throws -> UInt64 {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("rchar:") }),
            let bytes = UInt64(line.dropFirst("rchar:".count).trimmingCharacters(in: .whitespaces))
        else { throw CaptureSoakError(message: "\(path) holds no 'rchar: N' line") }
        return bytes
    }

    /// A flag one thread sets and another reads.
    final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        var isSet: Bool { value.load(ordering: .acquiring) }
        func set() { value.store(true, ordering: .releasing) }
    }
}
