import CSQLiteSupport
import Foundation
import GRDB
import MMUCore

extension TranslationStore {
    /// The stages of ``openUntrusted(path:sizeLimit:timeout:)``, named in its errors.
    public enum UntrustedStage: String, Sendable {
        case locate, size, log = "write-ahead log", copy, header, open, integrityCheck = "integrity_check", schema, invariants
    }

    /// The most the private copy may exceed what the file system has allocated to the file
    /// (1 MiB): a database is written page by page and never has large holes, so a file whose
    /// header claims more than its allocated bytes plus this margin (for file systems that keep
    /// small files inline or compress them) is sparse, and is refused before a byte is copied.
    public static let allocationMargin: UInt64 = RegularFile.allocationMargin

    /// Opens a database file someone else made (another run, a download) without trusting it.
    ///
    /// Following RELIABILITY.md §4: the file is opened once (`O_NONBLOCK | O_NOFOLLOW`), and
    /// everything after works on that descriptor, so it cannot be swapped between a check and
    /// a read; a FIFO, socket, device, directory or symbolic link is refused without blocking.
    /// The main file alone is copied into a private file (so side files planted next to it are
    /// never read, and nothing is created next to it); its header is checked by hand; the copy
    /// is opened read-only on a hardened connection
    /// (defensive mode, untrusted schema, no triggers, views, extensions or attachments, low
    /// limits, no memory mapping, cell size checks); then `integrity_check`, an exact comparison
    /// of the schema with this program's, and every store invariant including the content
    /// digests. Each long stage is interrupted after `timeout`. The result is a read-only store.
    ///
    /// The copy is bounded by what the file really holds: the header's page count times its
    /// page size, which must fit in the file's length, in `sizeLimit`, and in the bytes the file
    /// system has allocated to the file plus ``allocationMargin`` (so a sparse file whose
    /// header claims gigabytes costs nothing). The copy has no name while it holds any data:
    /// see ``PrivateCopy``.
    ///
    /// The full `integrity_check`, not `quick_check`, because only it proves that each index
    /// holds exactly its table's rows: history and differences are read through the generation
    /// indexes, and a damaged index that `quick_check` passes would show another history. It
    /// costs about 1.3 times as much (0.37 s against 0.29 s on a 1M-entry file).
    ///
    /// Text quoted from the file in an error (names, SQL) has its control characters escaped.
    ///
    /// - Throws: ``StoreError`` with code `untrustedFile` (or `notFound`), whose message names
    ///   the stage that rejected the file.
    public static func openUntrusted(path: String, sizeLimit: UInt64 = 16 << 30, timeout: TimeInterval = 30)
        throws(StoreError) -> TranslationStore
    {
        let absolute = absolutePath(path)
        func reject(_ stage: UntrustedStage, _ reason: String, cause: (any Error & Sendable)? = nil) -> StoreError {
            StoreError(
                .untrustedFile, "\(TerminalText.escaped(absolute)) rejected at stage '\(stage.rawValue)': \(TerminalText.escaped(reason))",
                cause: cause)
        }
        let source: RegularFile
        do {
            source = try RegularFile(openingForReading: absolute)
        } catch {
            guard case .system = error.reason else { throw reject(.locate, "\(error)") }
            throw StoreError(.notFound, "\(error)")
        }
        let size = source.size
        guard size >= 512 else { throw reject(.size, "\(size) bytes is too small to be a database") }
        guard size <= sizeLimit else { throw reject(.size, "\(size) bytes exceeds the limit of \(sizeLimit)") }
        let walSize = (try? FileManager.default.attributesOfItem(atPath: absolute + "-wal")[.size] as? NSNumber)?.uint64Value ?? 0
        guard walSize == 0 else {
            throw reject(.log, "\(absolute)-wal holds \(walSize) bytes that were never checkpointed; open the file once for writing (`mmu init -d FILE`) to fold them in")
        }

        // The header says how much of the file is the database: only that much is copied, so a
        // huge (say sparse) file behind a small database costs nothing.
        let length = try checkHeader(try readHeader(source, reject: { reject(.header, $0) }), fileSize: size, reject: { reject(.header, $0) })
        guard length <= source.allocatedBytes + allocationMargin else {
            throw reject(
                .size,
                "the database would be \(length) bytes but the file system holds only \(source.allocatedBytes) bytes of the file (a sparse file); nothing was copied")
        }
        let copy: PrivateCopy
        let queue: DatabaseQueue
        do {
            copy = try PrivateCopy()
        } catch {
            throw reject(.copy, "\(error)")
        }
        do {
            queue = try DatabaseQueue(path: copy.path, configuration: hardenedConfiguration())
        } catch {
            throw reject(.open, "\(error)", cause: error as? DatabaseError)
        }
        do {
            try copy.removeName()
            try copy.fill(from: source, length: length)
        } catch {
            throw reject(.copy, "\(error)")
        }
        _ = try checkHeader(try readHeader(copy.file, reject: { reject(.header, $0) }), fileSize: length, reject: { reject(.header, $0) })

        let store = TranslationStore(writer: queue, path: absolute, scratch: copy)
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
        } catch {
            // SQLite's failures come as DatabaseError from GRDB, and as an `io` or `busy`
            // StoreError with the DatabaseError as its cause from the store's own statements.
            let statementFailure = (error as? StoreError).flatMap { $0.code == .io || $0.code == .busy ? $0.cause as? DatabaseError : nil }
            guard let failure = error as? DatabaseError ?? statementFailure else {
                if let error = error as? StoreError { throw error }
                throw reject(stage, "\(error)", nil)
            }
            if failure.resultCode == .SQLITE_INTERRUPT { throw reject(stage, "did not finish within \(Int(timeout)) s", failure) }
            throw reject(stage, failure.message ?? "\(failure.resultCode)", failure)
        }
    }

    /// The configuration of the connection to the private copy: read-only and hardened.
    private static func hardenedConfiguration() -> Configuration {
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
        return configuration
    }

    /// The first 100 bytes of `file`.
    private static func readHeader(_ file: RegularFile, reject: (String) -> StoreError) throws(StoreError) -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = try file.read(100, at: 0)
        } catch {
            throw reject("\(error)")
        }
        guard bytes.count == 100 else { throw reject("shorter than a header") }
        return bytes
    }

    /// Checks the 100-byte header of a file of `fileSize` bytes by hand; returns how many bytes
    /// the database occupies (the header's page count times its page size when that count is
    /// valid, else the whole file).
    private static func checkHeader(_ bytes: [UInt8], fileSize: UInt64, reject: (String) -> StoreError) throws(StoreError) -> UInt64 {
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
}
