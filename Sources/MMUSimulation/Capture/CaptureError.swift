/// Why a live process could not be captured. Each case names the process and the file.
public enum CaptureError: Error, Hashable, Sendable {
    /// No process has this pid.
    case noSuchProcess(Int32)
    /// The file of the process may not be read (another user's process without privileges).
    case permissionDenied(Int32, file: String)
    /// The process ended while it was being read; nothing was produced.
    case processExited(Int32, file: String)
    /// Reading the file failed otherwise (the system's message).
    case unreadable(Int32, file: String, message: String)
    /// A line of a `/proc/PID/maps` text is not `start-end perms offset dev inode [path]`.
    case malformedMaps(file: String, lineNumber: Int, line: String)
}

extension CaptureError: CustomStringConvertible {
    /// A sentence naming the pid and the file.
    public var description: String {
        switch self {
        case .noSuchProcess(let pid): "no process with pid \(pid)"
        case .permissionDenied(let pid, let file): "no permission to read \(file) of process \(pid)"
        case .processExited(let pid, let file): "process \(pid) exited while \(file) was being read; nothing was captured"
        case .unreadable(let pid, let file, let message): "cannot read \(file) of process \(pid): \(message)"
        case .malformedMaps(let file, let line, let text):
            "\(file):\(line): expected 'start-end perms offset dev inode [path]', found '\(text)'"
        }
    }
}
