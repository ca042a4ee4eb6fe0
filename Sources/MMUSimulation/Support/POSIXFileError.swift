#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed C file call: the path and the `errno`.
struct POSIXFileError: Error, Hashable, Sendable {
    /// The path of the file.
    var path: String
    /// The `errno` value.
    var code: Int32

    /// The system's message for the code.
    var message: String { String(cString: strerror(code)) }

    /// Whether the file does not exist (`ENOENT`), or its process is gone (`ESRCH`).
    var isMissing: Bool { code == ENOENT || code == ESRCH }

    /// Whether access was refused (`EACCES`, `EPERM`).
    var isPermissionDenied: Bool { code == EACCES || code == EPERM }
}
