import CSQLiteSupport
import Foundation
import MMUCore

/// How a store opened for reading (``TranslationStore/init(readingAt:)``) reaches its file
/// without writing anything, and the lock that keeps that way correct.
///
/// SQLite's read-only connections never write the database, but on a WAL file they need its
/// `-wal` and `-shm`: when those do not exist they create them (and leave them behind, since
/// a read-only connection cannot checkpoint), or fail with "unable to open database file"
/// where the directory cannot be written. So the route depends on what exists:
///
/// - A rollback-journal file is opened read-only as it is (no side file is needed to read it).
/// - A WAL file whose `-wal` and `-shm` both exist is opened read-only as it is: SQLite reads
///   through the existing `-shm` (through a private copy of the index when the `-shm` is
///   read-only, SQLite's own "unreliable shm" mode, which checks the log's checksums).
/// - A WAL file with no `-wal`, or an empty `-wal` and no `-shm`, holds everything in its main
///   file: it is opened with `immutable=1`, reading the main file alone with SQLite's locking
///   off. That is only correct while no writer changes the main file, so this object holds
///   SQLite's SHARED lock on the file for as long as the store lives and checks the side files
///   again after every read. A writer changes the main file of a WAL database only by
///   checkpointing frames it first appended to a `-wal` it keeps a `-shm` for, and removing
///   either needs the EXCLUSIVE lock the SHARED one excludes: if they are still absent after
///   the read, nothing wrote the main file during it. Otherwise the read is refused as `busy`
///   (run it again; the next open takes the second route).
/// - A WAL file whose `-wal` holds frames but has no `-shm` (a copied or half-deleted set of
///   files) is refused: reading it would need a `-shm` created, or would miss the log.
final class ReadingAccess: Sendable {
    /// The three ways of opening the file.
    enum Route: Sendable {
        case rollbackJournal, writeAheadLog, mainFileOnly
    }

    /// The absolute path of the database file.
    let path: String
    /// How it is opened.
    let route: Route
    /// The descriptor holding the SHARED lock on the main file, or -1.
    private let descriptor: Int32

    /// Opens `path`, checks its header and chooses the route, taking the SHARED lock of a WAL
    /// file (waiting up to `timeout` seconds while a closing writer holds EXCLUSIVE).
    ///
    /// - Throws: ``StoreError`` `notFound`, `notAStore`, `busy` or `io`.
    init(path: String, timeout: TimeInterval) throws(StoreError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let error = errno
            if error == ENOENT { throw StoreError(.notFound, "no MMUStore database at \(path) (create one with `mmu init`)") }
            throw StoreError(.io, "cannot open \(path) for reading: \(String(cString: strerror(error)))")
        }
        var keep = false
        defer { if !keep { close(descriptor) } }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw StoreError(.io, "cannot read the status of \(path): \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw StoreError(.notAStore, "\(path) is \(RegularFile.kind(of: status.st_mode)), not a regular file, so not an MMUStore database")
        }
        guard status.st_size > 0 else { throw StoreError(.notAStore, "\(path) is an empty file, not an MMUStore database") }
        var header = [UInt8](repeating: 0, count: 100)
        let count = header.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 100, 0) }
        guard count == 100, header.starts(with: Array("SQLite format 3\0".utf8)) else {
            throw StoreError(.notAStore, "\(path) is not an SQLite database, so not an MMUStore database")
        }
        guard header[19] == 2 else {
            route = .rollbackJournal
            self.descriptor = -1
            return
        }
        try Self.lockShared(descriptor, path, timeout: timeout)
        let sides = SideFiles(path)
        if sides.mainFileHoldsEverything {
            route = .mainFileOnly
        } else if sides.sharedMemory {
            route = .writeAheadLog
        } else {
            throw StoreError(
                .io, "\(path)-wal holds \(sides.logSize ?? 0) bytes of transactions but \(path)-shm is missing, and reading them "
                    + "would create it: run `mmu init -d \(path)` once as a user who can write there, then read again")
        }
        self.descriptor = descriptor
        keep = true
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// What SQLite opens: the path itself, or an `immutable=1` URI of it (this SQLite is built
    /// with URI file names on, as the fault-injection VFS also relies on).
    func location() throws(StoreError) -> String {
        guard route == .mainFileOnly else { return path }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-._~")
        guard let encoded = path.addingPercentEncoding(withAllowedCharacters: allowed) else {
            throw StoreError(.invalidName, "the path \(path) cannot be written as an SQLite URI")
        }
        return "file:\(encoded)?immutable=1"
    }

    /// Checks, after a read through the main file alone, that no writer appeared meanwhile.
    ///
    /// - Throws: ``StoreError`` `busy` when one did: what was read may mix two versions.
    func confirm() throws(StoreError) {
        guard route == .mainFileOnly, !SideFiles(path).mainFileHoldsEverything else { return }
        throw StoreError(
            .busy, "a writer opened \(path) while it was being read through its main file alone, so what was read may "
                + "mix two versions and is not shown: run the command again")
    }

    /// Takes SQLite's SHARED lock on `descriptor`, retrying while another process holds
    /// PENDING or EXCLUSIVE (a writer closing or changing the journal mode).
    private static func lockShared(_ descriptor: Int32, _ path: String, timeout: TimeInterval) throws(StoreError) {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let error = mmu_sqlite_shared_lock(descriptor)
            if error == 0 { return }
            guard error == EAGAIN || error == EACCES else {
                throw StoreError(.io, "cannot lock \(path) for reading: \(String(cString: strerror(error)))")
            }
            guard Date() < deadline else {
                throw StoreError(
                    .busy, "\(path) stayed locked for \(Int(timeout)) s by a process holding it exclusively (closing, "
                        + "checkpointing or changing its journal mode); try again when it has finished")
            }
            usleep(1000)
        }
    }

    /// What lies next to a WAL database file.
    private struct SideFiles {
        /// The size of the `-wal`, or `nil` when there is none.
        let logSize: UInt64?
        /// Whether a `-shm` exists.
        let sharedMemory: Bool

        init(_ path: String) {
            var status = stat()
            logSize = lstat(path + "-wal", &status) == 0 ? UInt64(status.st_size) : nil
            sharedMemory = lstat(path + "-shm", &status) == 0
        }

        /// Whether the main file holds every committed transaction and no connection is using
        /// the log: no `-wal`, or an empty one without `-shm`.
        var mainFileHoldsEverything: Bool { logSize == nil || (logSize == 0 && !sharedMemory) }
    }
}
