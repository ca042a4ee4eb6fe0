#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file from elsewhere, opened once for reading and known to be a regular file.
///
/// The path is opened exactly once, with `O_RDONLY | O_NONBLOCK | O_NOFOLLOW`, and everything
/// after (the type and size checks, every read) works on that descriptor, so the file cannot
/// be swapped between a check and a read. Opening a FIFO, a socket or a device this way does
/// not block, and `fstat` then refuses it; a symbolic link as the last component is refused
/// (name the file it points to). The descriptor is closed when the value goes away.
package final class RegularFile: Sendable {
    /// The path the file was opened with.
    package let path: String
    /// The open descriptor (valid for the lifetime of the value).
    package let descriptor: Int32
    /// The file's length (`st_size`) when it was opened.
    package let size: UInt64
    /// The bytes the file system has allocated to it (`st_blocks * 512`): a sparse file's holes
    /// cost nothing here, so this is what the file really holds.
    package let allocatedBytes: UInt64

    /// How far a file's length may exceed the bytes allocated to it before it counts as sparse
    /// (1 MiB: file systems that keep small files inline or compress them allocate less than
    /// the length; a file written by a program has no large holes).
    package static let allocationMargin: UInt64 = 1 << 20

    /// Opens `path` for reading, refusing anything but a regular file without blocking.
    ///
    /// - Parameter followingSymbolicLinks: Follow a symbolic link as the last component (for
    ///   the user's own database, which may well be reached through one); the file it leads to
    ///   must still be regular.
    /// - Throws: ``RegularFileError`` naming the path: the system's error, a symbolic link, or
    ///   the kind of file that is not regular.
    package init(openingForReading path: String, followingSymbolicLinks: Bool = false) throws(RegularFileError) {
        self.path = path
        var descriptor: Int32
        repeat {
            descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followingSymbolicLinks ? 0 : O_NOFOLLOW))
        } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else {
            let code = errno
            var status = stat()
            if code == ELOOP, lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK {
                throw RegularFileError(path: path, reason: .symbolicLink(target: Self.resolved(path)))
            }
            throw RegularFileError(path: path, reason: .system(code))
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw RegularFileError(path: path, reason: .system(code))
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw RegularFileError(path: path, reason: .notRegular(kind: Self.kind(of: status.st_mode)))
        }
        // Regular files never block; clearing the flag keeps reads plain.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        self.descriptor = descriptor
        size = UInt64(max(0, status.st_size))
        allocatedBytes = UInt64(max(0, status.st_blocks)) * 512
    }

    deinit { close(descriptor) }

    /// Reads at most `buffer.count` bytes at `offset`.
    ///
    /// - Returns: The number of bytes read; fewer than asked only at the end of the file.
    package func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(RegularFileError) -> Int {
        try positionedRead(descriptor, into: buffer, at: offset) { RegularFileError(path: path, reason: .system($0)) }
    }

    /// Reads at most `count` bytes at `offset`.
    ///
    /// - Returns: The bytes read; fewer than `count` only at the end of the file.
    package func read(_ count: Int, at offset: UInt64) throws(RegularFileError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let result = bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(RegularFileError) -> Int in try read(into: buffer, at: offset) }
        }
        bytes.removeLast(count - (try result.get()))
        return bytes
    }

    /// Reads the whole file, refusing one longer than `limit` bytes (checked against the size
    /// before reading and again while reading, for a file that grows) and a sparse one (whose
    /// holes would be read as zeros into memory).
    ///
    /// - Throws: ``RegularFileError`` with ``RegularFileError/Reason/tooLarge(bytes:limit:)``,
    ///   ``RegularFileError/Reason/sparse(bytes:allocated:)`` or a read error.
    package func readAll(limit: UInt64) throws(RegularFileError) -> [UInt8] {
        guard size <= limit else { throw RegularFileError(path: path, reason: .tooLarge(bytes: size, limit: limit)) }
        guard size <= allocatedBytes + Self.allocationMargin else {
            throw RegularFileError(path: path, reason: .sparse(bytes: size, allocated: allocatedBytes))
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let offset = UInt64(bytes.count)
            let count = try chunk.withUnsafeMutableBytes { buffer in
                Result { () throws(RegularFileError) -> Int in try read(into: buffer, at: offset) }
            }.get()
            if count == 0 { return bytes }
            guard offset + UInt64(count) <= limit else {
                throw RegularFileError(path: path, reason: .tooLarge(bytes: offset + UInt64(count), limit: limit))
            }
            bytes += chunk[..<count]
        }
    }

    /// What a file of mode `mode` is, in words (`a FIFO`, `a directory`, …).
    package static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFDIR: "a directory"
        default: "a file of an unknown kind"
        }
    }

    /// Where a symbolic link leads, or an empty string when it leads nowhere.
    private static func resolved(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return "" }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
