#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed C file call: the path and the `errno`.
package struct POSIXFileError: Error, Hashable, Sendable {
    /// The path of the file.
    package var path: String
    /// The `errno` value.
    package var code: Int32

    /// The failure of a call on `path` that set `errno` to `code`.
    package init(path: String, code: Int32) {
        self.path = path
        self.code = code
    }

    /// The system's message for the code.
    package var message: String { String(cString: strerror(code)) }

    /// Whether the file does not exist (`ENOENT`), or its process is gone (`ESRCH`).
    package var isMissing: Bool { code == ENOENT || code == ESRCH }

    /// Whether access was refused (`EACCES`, `EPERM`).
    package var isPermissionDenied: Bool { code == EACCES || code == EPERM }
}
