#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif
import Foundation

/// Where a soak writer is between its transaction boundaries: what it marks on a side channel
/// before and after each step, so the parent can tell where each SIGKILL landed.
public enum TransactionBoundary: Int64, Sendable, CaseIterable, CustomStringConvertible {
    /// The writer has not begun its first transaction (process start, opening the store).
    case starting = 0
    /// Between transactions: the last one was acknowledged, the next has not begun (or the
    /// writer is compacting, which is not a soak transaction).
    case between = 1
    /// Inside a write transaction: `BEGIN IMMEDIATE` succeeded and the body is running (or
    /// the store is writing its log row), `COMMIT` not yet sent.
    case inTransaction = 2
    /// Inside a commit: SQLite's commit hook ran (`COMMIT` was sent), the acknowledgement
    /// is not yet printed.
    case committing = 3

    /// `starting`, `between`, `in transaction` or `committing`.
    public var description: String {
        switch self {
        case .starting: "starting"
        case .between: "between"
        case .inTransaction: "in transaction"
        case .committing: "committing"
        }
    }

    /// The size of a boundary file: the boundary and the transaction number, two 64-bit words.
    static let fileSize = 16

    /// Creates (or empties) the boundary file at `path`: `starting`, transaction 0.
    ///
    /// - Throws: ``HarnessError`` when it cannot be written.
    public static func reset(at path: String) throws(HarnessError) {
        do {
            try Data(count: fileSize).write(to: URL(fileURLWithPath: path))
        } catch {
            throw HarnessError("cannot create the boundary file \(path): \(error)")
        }
    }

    /// Reads the boundary file at `path` after the writer died: the last boundary it marked
    /// and the transaction it was on.
    ///
    /// - Throws: ``HarnessError`` when the file is missing, short or holds no boundary.
    public static func read(at path: String) throws(HarnessError) -> (boundary: TransactionBoundary, transaction: Int64) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw HarnessError("cannot read the boundary file \(path): \(error)")
        }
        guard data.count == fileSize else { throw HarnessError("the boundary file \(path) has \(data.count) bytes, not \(fileSize)") }
        let words = data.withUnsafeBytes { bytes in (bytes.loadUnaligned(fromByteOffset: 0, as: Int64.self), bytes.loadUnaligned(fromByteOffset: 8, as: Int64.self)) }
        guard let boundary = TransactionBoundary(rawValue: words.0) else {
            throw HarnessError("the boundary file \(path) holds \(words.0), which is no boundary")
        }
        return (boundary, words.1)
    }
}

/// The writer's side of a boundary file: the file mapped shared into memory, so marking a
/// boundary is two stores (no system call) and what was marked survives a SIGKILL in the
/// page cache.
public final class BoundaryMarker: @unchecked Sendable {
    private let words: UnsafeMutablePointer<Int64>

    /// Maps the boundary file at `path`, which ``TransactionBoundary/reset(at:)`` created.
    ///
    /// - Throws: ``HarnessError`` when it cannot be opened or mapped.
    public init(path: String) throws(HarnessError) {
        let descriptor = open(path, O_RDWR)
        guard descriptor >= 0 else { throw HarnessError("cannot open the boundary file \(path): errno \(errno)") }
        defer { close(descriptor) }
        let mapped = mmap(nil, TransactionBoundary.fileSize, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0)
        guard let mapped, mapped != MAP_FAILED else { throw HarnessError("cannot map the boundary file \(path): errno \(errno)") }
        words = mapped.bindMemory(to: Int64.self, capacity: 2)
    }

    /// Marks that the writer is at `boundary` of transaction `transaction` (the number is
    /// written first, so a kill between the two stores leaves the older boundary).
    public func mark(_ boundary: TransactionBoundary, transaction: Int64) {
        words[1] = transaction
        words[0] = boundary.rawValue
    }

    /// Marks `boundary`, keeping the transaction number.
    public func mark(_ boundary: TransactionBoundary) {
        words[0] = boundary.rawValue
    }

    /// Marks ``TransactionBoundary/committing`` when the writer is inside a soak transaction:
    /// what the commit hook calls, which also runs for the commits of a compaction (which stay
    /// ``TransactionBoundary/between``).
    public func commitSent() {
        if words[0] == TransactionBoundary.inTransaction.rawValue { words[0] = TransactionBoundary.committing.rawValue }
    }
}
