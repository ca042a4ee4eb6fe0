#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `read(2)`, named apart from ``POSIXFile/read(into:)``.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

/// The one door to the C file API: an open file descriptor, closed when the handle goes away.
///
/// Every call retries on `EINTR` and turns `-1` into a ``POSIXFileError`` naming the path.
package final class POSIXFile {
    /// The path the file was opened with.
    package let path: String
    private let descriptor: Int32

    /// Opens `path` for reading.
    ///
    /// - Throws: ``POSIXFileError`` with the `errno` of `open`.
    package init(openingForReading path: String) throws(POSIXFileError) {
        self.path = path
        var descriptor: Int32
        repeat {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
        } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else { throw POSIXFileError(path: path, code: errno) }
        self.descriptor = descriptor
    }

    /// Opens a file from elsewhere (a trace) for reading through ``RegularFile``: once, without
    /// blocking, refusing a FIFO, socket, device, directory or symbolic link.
    ///
    /// - Throws: ``RegularFileError`` naming the path.
    package init(openingRegularFile path: String) throws(RegularFileError) {
        let file = try RegularFile(openingForReading: path)
        let descriptor = fcntl(file.descriptor, F_DUPFD_CLOEXEC, 0)
        guard descriptor >= 0 else { throw RegularFileError(path: path, reason: .system(errno)) }
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The same open file on a new descriptor, positioned at its start (for a second pass over
    /// a file that must not be opened by path again).
    ///
    /// - Throws: ``POSIXFileError`` with the `errno` of `fcntl` or `lseek`.
    package func reopenedAtStart() throws(POSIXFileError) -> POSIXFile {
        let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { throw POSIXFileError(path: path, code: errno) }
        guard lseek(copy, 0, SEEK_SET) == 0 else {
            let code = errno
            close(copy)
            throw POSIXFileError(path: path, code: code)
        }
        return POSIXFile(path: path, descriptor: copy)
    }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Reads at most `buffer.count` bytes at the current position.
    ///
    /// - Returns: The number of bytes read; 0 at the end of the file.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(POSIXFileError) -> Int {
        while true {
            let count = systemRead(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw POSIXFileError(path: path, code: errno) }
        }
    }

    /// Reads at most `buffer.count` bytes at `offset`, without moving the current position.
    ///
    /// - Returns: The number of bytes read; fewer than asked only at the end of the file.
    package func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(POSIXFileError) -> Int {
        try positionedRead(descriptor, into: buffer, at: offset) { POSIXFileError(path: path, code: $0) }
    }

    /// Runs `ioctl(2)` with a pointer argument.
    ///
    /// - Returns: What the call returns (not -1).
    package func control(_ request: UInt, _ argument: UnsafeMutableRawPointer) throws(POSIXFileError) -> Int32 {
        while true {
            let result = ioctl(descriptor, request, argument)
            if result >= 0 { return result }
            if errno != EINTR { throw POSIXFileError(path: path, code: errno) }
        }
    }

    /// Reads 64-bit little-endian words from `index * 8` on (the layout of `/proc/PID/pagemap`
    /// and `/proc/kpageflags`).
    ///
    /// - Returns: The words read; fewer than `count` only at the end of the file.
    package func readWords(at index: UInt64, count: Int) throws(POSIXFileError) -> [UInt64] {
        var words = [UInt64](repeating: 0, count: count)
        let read = words.withUnsafeMutableBytes { buffer in
            Result { () throws(POSIXFileError) -> Int in try self.read(into: buffer, at: index * 8) }
        }
        words.removeLast(count - (try read.get()) / 8)
        return words.map { UInt64(littleEndian: $0) }
    }

    /// Moves the current position to `offset` bytes from the start.
    package func seek(to offset: UInt64) throws(POSIXFileError) {
        guard offset <= UInt64(off_t.max), lseek(descriptor, off_t(offset), SEEK_SET) >= 0 else {
            throw POSIXFileError(path: path, code: offset <= UInt64(off_t.max) ? errno : EINVAL)
        }
    }

    /// Reads the whole file from the current position (procfs files report a size of zero, so
    /// this reads until the end instead of trusting `stat`).
    package func readToEnd() throws(POSIXFileError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = try chunk.withUnsafeMutableBytes { buffer in
                Result { () throws(POSIXFileError) -> Int in try self.read(into: buffer) }
            }.get()
            if count == 0 { return bytes }
            bytes += chunk[..<count]
        }
    }
}
