import CSQLiteSupport
import Foundation
import GRDB
import MMUCore

extension TranslationStore {
    /// The stages of ``openUntrusted(path:sizeLimit:timeout:)``, named in its errors.
    public enum UntrustedStage: String, Sendable {
        case locate, size, log = "write-ahead log", copy, header, open, integrityCheck = "integrity_check", schema, invariants
    }

    /// Opens a database file someone else made (another run, a download) without trusting it.
    ///
    /// Following RELIABILITY.md §4: the main file alone is copied into a private directory
    /// (so side files planted next to it are never read, and nothing is created next to it);
    /// its header is checked by hand; the copy is opened read-only on a hardened connection
    /// (defensive mode, untrusted schema, no triggers, views, extensions or attachments, low
    /// limits, no memory mapping, cell size checks); then `integrity_check`, an exact comparison
    /// of the schema with this program's, and every store invariant including the content
    /// digests. Each long stage is interrupted after `timeout`. The result is a read-only store.
    ///
    /// The full `integrity_check`, not `quick_check`, because only it proves that each index
    /// holds exactly its table's rows: history and differences are read through the generation
    /// indexes, and a damaged index that `quick_check` passes would show another history. It
    /// costs about 1.3 times as much (0.37 s against 0.29 s on a 1M-entry file).
    ///
    /// - Throws: ``StoreError`` with code `untrustedFile` (or `notFound`), whose message names
    ///   the stage that rejected the file.
    public static func openUntrusted(path: String, sizeLimit: UInt64 = 16 << 30, timeout: TimeInterval = 30)
        throws(StoreError) -> TranslationStore
    {
        let absolute = absolutePath(path)
        func reject(_ stage: UntrustedStage, _ reason: String, cause: (any Error & Sendable)? = nil) -> StoreError {
            StoreError(.untrustedFile, "\(absolute) rejected at stage '\(stage.rawValue)': \(reason)", cause: cause)
        }
        let attributes: [FileAttributeKey: Any]
        do {
            let resolved = URL(fileURLWithPath: absolute).resolvingSymlinksInPath().path
            attributes = try FileManager.default.attributesOfItem(atPath: resolved)
        } catch {
            throw StoreError(.notFound, "cannot read \(absolute): \(error.localizedDescription)")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw reject(.locate, "not a regular file")
        }
        let size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        guard size >= 512 else { throw reject(.size, "\(size) bytes is too small to be a database") }
        guard size <= sizeLimit else { throw reject(.size, "\(size) bytes exceeds the limit of \(sizeLimit)") }
        let walSize = (try? FileManager.default.attributesOfItem(atPath: absolute + "-wal")[.size] as? NSNumber)?.uint64Value ?? 0
        guard walSize == 0 else {
            throw reject(.log, "\(absolute)-wal holds \(walSize) bytes that were never checkpointed; open the file once for writing (`mmu init -d FILE`) to fold them in")
        }

        // The header says how much of the file is the database: only that much is copied, so a
        // huge (say sparse) file behind a small database costs nothing.
        let length = try checkHeader(of: absolute, reject: { reject(.header, $0) })
        let scratch: ScratchDirectory
        let copy: URL
        do {
            scratch = try ScratchDirectory()
            copy = scratch.url.appendingPathComponent("untrusted.sqlite")
            try copyMainFile(from: absolute, to: copy, length: length)
        } catch {
            throw reject(.copy, "\(error)")
        }
        _ = try checkHeader(of: copy.path, reject: { reject(.header, $0) })
        try markRollbackJournal(copy, reject: { reject(.copy, $0) })

        let queue: DatabaseQueue
        do {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.foreignKeysEnabled = false
            configuration.prepareDatabase { db in
                let code = mmu_sqlite_harden(UnsafeMutableRawPointer(db.sqliteConnection), 1)
                guard code == SQLITE_OK_CODE else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "could not harden the connection")
                }
                try db.execute(sql: "PRAGMA mmap_size = 0; PRAGMA cell_size_check = ON")
            }
            queue = try DatabaseQueue(path: copy.path, configuration: configuration)
        } catch {
            throw reject(.open, "\(error)", cause: error as? DatabaseError)
        }
        let store = TranslationStore(writer: queue, path: absolute, scratch: scratch)
        try store.withDeadline(timeout, queue, stage: .integrityCheck, reject: reject) { db in
            let rows = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            guard rows == ["ok"] else { throw reject(.integrityCheck, rows.prefix(3).joined(separator: "; ")) }
        }
        let expected = try expectedSchema()
        try store.withDeadline(timeout, queue, stage: .schema, reject: reject) { db in
            let found = try schemaRows(db)
            if let extra = found.first(where: { !expected.contains($0) }) {
                throw reject(.schema, "unexpected \(extra.components(separatedBy: "|").prefix(2).joined(separator: " ")) (not in MMUStore's schema)")
            }
            if let missing = expected.first(where: { !found.contains($0) }) {
                throw reject(.schema, "missing \(missing.components(separatedBy: "|").prefix(2).joined(separator: " "))")
            }
            let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
            guard applied == (try migrationIdentifiers()) else {
                throw reject(.schema, "migrations \(applied) are not this program's \((try? migrationIdentifiers()) ?? [])")
            }
        }
        try store.withDeadline(timeout, queue, stage: .invariants, reject: reject) { db in
            var report = CheckReport()
            try checkInvariants(in: db, into: &report)
            if let problem = report.problems.first {
                throw reject(.invariants, problem + (report.problems.count > 1 ? " (and \(report.problems.count - 1) more)" : ""))
            }
        }
        return store
    }

    /// Runs `body` on the untrusted queue, interrupting it after `timeout` seconds.
    private func withDeadline(
        _ timeout: TimeInterval, _ queue: DatabaseQueue, stage: UntrustedStage,
        reject: (UntrustedStage, String, (any Error & Sendable)?) -> StoreError, _ body: (Database) throws -> Void
    ) throws(StoreError) {
        let watchdog = DispatchWorkItem { queue.interrupt() }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
        do {
            try queue.read(body)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT {
            throw reject(stage, "did not finish within \(Int(timeout)) s", error)
        } catch let error as DatabaseError {
            throw reject(stage, error.message ?? "\(error.resultCode)", error)
        } catch {
            throw reject(stage, "\(error)", nil)
        }
    }

    /// Copies the first `length` bytes of `source` to `destination` in chunks.
    private static func copyMainFile(from source: String, to destination: URL, length: UInt64) throws {
        guard let input = FileHandle(forReadingAtPath: source) else { throw CocoaError(.fileReadNoPermission) }
        defer { try? input.close() }
        guard FileManager.default.createFile(atPath: destination.path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let output = FileHandle(forWritingAtPath: destination.path)
        else { throw CocoaError(.fileWriteNoPermission) }
        defer { try? output.close() }
        var copied: UInt64 = 0
        while copied < length, let chunk = try input.read(upToCount: Int(min(1 << 20, length - copied))), !chunk.isEmpty {
            copied += UInt64(chunk.count)
            try output.write(contentsOf: chunk)
        }
        guard copied == length else { throw CocoaError(.fileReadCorruptFile) }
    }

    /// Checks the 100-byte header of `path` by hand; returns how many bytes the database
    /// occupies (the header's page count times its page size when that count is valid, else
    /// the whole file).
    private static func checkHeader(of path: String, reject: (String) -> StoreError) throws(StoreError) -> UInt64 {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw reject("cannot open the file") }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 100), header.count == 100 else { throw reject("shorter than a header") }
        let fileSize = (try? handle.seekToEnd()) ?? 0
        let bytes = [UInt8](header)
        func bigEndian(_ offset: Int, _ count: Int) -> UInt64 { bytes[offset..<(offset + count)].reduce(0) { $0 << 8 | UInt64($1) } }
        guard bytes.starts(with: Array("SQLite format 3\0".utf8)) else { throw reject("no SQLite magic string") }
        let rawPageSize = bigEndian(16, 2)
        let pageSize = rawPageSize == 1 ? 65536 : rawPageSize
        guard pageSize >= 512, pageSize <= 65536, pageSize & (pageSize - 1) == 0 else { throw reject("page size \(rawPageSize) is not a power of two from 512 to 65536") }
        guard [1, 2].contains(bytes[18]), [1, 2].contains(bytes[19]) else { throw reject("file format versions \(bytes[18])/\(bytes[19]) are unknown") }
        guard bytes[21] == 64, bytes[22] == 32, bytes[23] == 32 else { throw reject("payload fractions are not SQLite's") }
        guard Int32(bitPattern: UInt32(bigEndian(68, 4))) == applicationID else {
            throw reject("application id \(bigEndian(68, 4)) is not MMUStore's")
        }
        guard bigEndian(24, 4) == bigEndian(92, 4) else { return fileSize }
        let pages = bigEndian(28, 4)
        guard pages > 0, pages * pageSize <= fileSize else {
            throw reject("the header claims \(pages) pages of \(pageSize) bytes, more than the file's \(fileSize) bytes")
        }
        return pages * pageSize
    }

    /// Turns the private copy into a rollback-journal file, so opening it needs no `-wal` or `-shm`.
    private static func markRollbackJournal(_ copy: URL, reject: (String) -> StoreError) throws(StoreError) {
        do {
            let handle = try FileHandle(forUpdating: copy)
            defer { try? handle.close() }
            try handle.seek(toOffset: 18)
            try handle.write(contentsOf: Data([1, 1]))
        } catch {
            throw reject("cannot prepare the private copy: \(error.localizedDescription)")
        }
    }
}

/// A private temporary directory (mode 0700), removed with its contents on deinit.
final class ScratchDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-untrusted-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
