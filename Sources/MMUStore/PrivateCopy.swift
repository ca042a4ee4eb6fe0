import Foundation
import MMUCore

/// The private copy of a database file from elsewhere, which has no name while it holds data.
///
/// SQLite opens a database by path and resolves `/proc/self/fd/N` to the name behind it, so a
/// file made with `O_TMPFILE` cannot be opened (measured: "unable to open database file").
/// Instead a fresh 0700 directory is made in the temporary directory with an empty file in it;
/// the connection opens that empty file; ``removeName()`` removes the file and the directory;
/// only then does ``fill(from:length:)`` write the copy, through the descriptor kept here, and
/// the connection reads it through its own. A process killed while copying or reading leaves
/// nothing behind: the system frees the nameless file with the last descriptor.
///
/// The one residual window is between making the directory and removing it (an open of an empty
/// file, a few milliseconds): a process killed exactly then leaves an empty `mmu-untrusted-…`
/// directory holding an empty file, never any of the foreign file's content.
final class PrivateCopy: Sendable {
    /// The path SQLite opens (gone after ``removeName()``).
    let path: String
    private let directory: String
    /// The copy, for reading back its header.
    let file: RegularFile
    private let writer: Int32

    /// Makes the private directory and the empty file.
    init() throws(RegularFileError) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-untrusted-\(UUID().uuidString)").path
        guard mkdir(base, 0o700) == 0 else { throw RegularFileError(path: base, reason: .system(errno)) }
        directory = base
        path = base + "/untrusted.sqlite"
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            rmdir(base)
            throw RegularFileError(path: path, reason: .system(code))
        }
        writer = descriptor
        do {
            file = try RegularFile(openingForReading: path)
        } catch {
            close(descriptor)
            unlink(path)
            rmdir(base)
            throw error
        }
    }

    deinit {
        close(writer)
        unlink(path)
        rmdir(directory)
    }

    /// Removes the file's name and the directory; the descriptors (ours and SQLite's) remain.
    func removeName() throws(RegularFileError) {
        guard unlink(path) == 0 else { throw RegularFileError(path: path, reason: .system(errno)) }
        guard rmdir(directory) == 0 else { throw RegularFileError(path: directory, reason: .system(errno)) }
    }

    /// Copies the first `length` bytes of `source` in chunks, marking the copy as a
    /// rollback-journal database (header bytes 18 and 19), so reading it needs no `-wal` or `-shm`.
    ///
    /// - Throws: ``RegularFileError`` for a read or write error, or when the source ends early.
    func fill(from source: RegularFile, length: UInt64) throws(RegularFileError) {
        var copied: UInt64 = 0
        while copied < length {
            var buffer = try source.read(Int(min(1 << 20, length - copied)), at: copied)
            let count = buffer.count
            guard count > 0 else { throw RegularFileError(path: source.path, reason: .endedEarly(at: copied)) }
            if copied == 0, count >= 20 {
                buffer[18] = 1
                buffer[19] = 1
            }
            var written = 0
            while written < count {
                let result = buffer.withUnsafeBytes { bytes in
                    pwrite(writer, bytes.baseAddress! + written, count - written, off_t(copied) + off_t(written))
                }
                if result < 0 {
                    if errno == EINTR { continue }
                    throw RegularFileError(path: path, reason: .system(errno))
                }
                written += result
            }
            copied += UInt64(count)
        }
    }
}
