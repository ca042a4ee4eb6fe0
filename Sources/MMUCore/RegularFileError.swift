#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file from elsewhere was not read: the path and what is wrong with it.
package struct RegularFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The path as given.
    package var path: String
    /// What is wrong.
    package var reason: Reason

    /// What is wrong with a file.
    package enum Reason: Hashable, Sendable {
        /// A system call failed with this `errno`.
        case system(Int32)
        /// The path is a symbolic link (leading to `target`, empty when it leads nowhere).
        case symbolicLink(target: String)
        /// The path is a FIFO, socket, device or directory (`kind` says which).
        case notRegular(kind: String)
        /// The file holds more than the reader accepts.
        case tooLarge(bytes: UInt64, limit: UInt64)
        /// The file is `bytes` long but holds only `allocated` bytes: mostly holes.
        case sparse(bytes: UInt64, allocated: UInt64)
        /// The file ended at this byte, before the length it had when it was opened.
        case endedEarly(at: UInt64)
    }

    package init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// Whether the file does not exist.
    package var isMissing: Bool { reason == .system(ENOENT) }

    /// What is wrong, without the path, with control characters escaped.
    package var problem: String {
        switch reason {
        case .system(let code):
            String(cString: strerror(code))
        case .symbolicLink(let target):
            "a symbolic link, which is not followed for a file from elsewhere; "
                + (target.isEmpty ? "it leads nowhere" : "name the file itself: \(TerminalText.escaped(target))")
        case .notRegular(let kind):
            "\(kind), not a regular file; only regular files are read (nothing waits on a pipe or device)"
        case .tooLarge(let bytes, let limit):
            "\(bytes) bytes long, more than the \(limit) bytes accepted"
        case .sparse(let bytes, let allocated):
            "\(bytes) bytes long but holds only \(allocated) bytes (a sparse file, mostly holes); nothing was read"
        case .endedEarly(let offset):
            "ended at byte \(offset), before its length when it was opened (it changed while it was read)"
        }
    }

    /// A sentence naming the path, with control characters escaped.
    package var description: String {
        let name = TerminalText.escaped(path)
        if case .system = reason { return "cannot read \(name): \(problem)" }
        return "\(name) is \(problem)"
    }
}
