/// Why a live process could not be captured. Each case names the process and the file.
public enum CaptureError: Error, Hashable, Sendable {
    /// A pid must be a positive number.
    case invalidProcessID(Int32)
    /// No process has this pid.
    case noSuchProcess(Int32)
    /// The process is a kernel thread: it has no user address space to capture.
    case noUserAddressSpace(Int32)
    /// The file of the process may not be read (another user's process without privileges).
    case permissionDenied(Int32, file: String)
    /// The process ended (or ran another program) while it was being read; nothing was produced.
    case processExited(Int32, file: String)
    /// The process changed its memory areas while each attempt read it; nothing was produced.
    case changedDuringCapture(Int32, attempts: Int)
    /// Reading the file failed otherwise (the system's message).
    case unreadable(Int32, file: String, message: String)
    /// A line of a `/proc/PID/maps` text is not `start-end perms offset dev inode [path]`.
    case malformedMaps(file: String, lineNumber: Int, line: String)
}

extension CaptureError: CustomStringConvertible {
    /// A sentence naming the pid and the file.
    public var description: String {
        switch self {
        case .invalidProcessID(let pid): "\(pid) is not a process id: a pid is a positive number"
        case .noSuchProcess(let pid): "no process with pid \(pid)"
        case .noUserAddressSpace(let pid):
            "process \(pid) is a kernel thread: it has no user address space (/proc/\(pid)/maps is empty), so there is nothing to capture"
        case .permissionDenied(let pid, let file): "no permission to read \(file) of process \(pid)"
        case .processExited(let pid, let file):
            "process \(pid) exited (or ran another program) while \(file) was being read; nothing was captured"
        case .changedDuringCapture(let pid, let attempts):
            "process \(pid) changed its memory areas (/proc/\(pid)/maps) during each of \(attempts) attempts to capture it; nothing was captured (stop it with SIGSTOP to capture it)"
        case .unreadable(let pid, let file, let message): "cannot read \(file) of process \(pid): \(message)"
        case .malformedMaps(let file, let line, let text):
            "\(file):\(line): expected 'start-end perms offset dev inode [path]', found '\(text)'"
        }
    }
}
