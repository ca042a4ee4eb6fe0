import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a rendered page or picture all at once: into a new file beside the destination, then
/// linked into place (refused when the destination exists) or, when replacing, renamed over it.
/// On any error nothing is left behind and an existing destination is untouched.
public enum RenderFile {
    /// Writes `text` to `path`.
    ///
    /// - Parameters:
    ///   - text: The content (UTF-8).
    ///   - path: The destination.
    ///   - replacing: Whether an existing regular file at `path` may be replaced.
    /// - Throws: ``RenderError/outputExists(path:)``, ``RenderError/cannotWrite(path:reason:)``.
    public static func write(_ text: String, to path: String, replacing: Bool) throws(RenderError) {
        var status = stat()
        if lstat(path, &status) == 0 {
            guard replacing else { throw .outputExists(path: path) }
            guard status.st_mode & S_IFMT == S_IFREG else {
                throw .cannotWrite(path: path, reason: "it exists and is not a regular file (--force replaces files only)")
            }
        }
        let directory = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) : "."
        let temporary = (directory.isEmpty ? "/" : directory + "/") + ".mmu-render-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary), options: .withoutOverwriting)
        } catch {
            unlink(temporary)
            throw .cannotWrite(path: path, reason: (error as NSError).localizedDescription)
        }
        let placed = replacing ? rename(temporary, path) : link(temporary, path)
        let failure = placed == 0 ? nil : (errno, reason())
        if !replacing || placed != 0 { unlink(temporary) }
        if let failure {
            if failure.0 == EEXIST { throw .outputExists(path: path) }
            throw .cannotWrite(path: path, reason: failure.1)
        }
    }

    /// Whether something (a file, a directory, a dangling symbolic link) is at `path`.
    public static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// The system's message for `errno`.
    private static func reason() -> String { String(cString: strerror(errno)) }
}
