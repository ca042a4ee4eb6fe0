import GRDB

/// The whole content of a store file as one number: every column of every row of every table
/// except the commit and creation times, and the seals and the log chain, which hash those times.
/// Two stores built by the same operations at different moments then have the same fingerprint,
/// and a store that holds half of an operation matches neither the state before it nor the state
/// after it. Whether the seals and the chain are right is what `check(deep:)` verifies on every
/// recovery.
///
/// The tables come from `sqlite_master` and their columns from `pragma table_xinfo`, so a table
/// or column a later migration adds is hashed without anyone editing a list; only the columns
/// named in ``timeColumns`` are left out.
public struct StoreFingerprint: Hashable, Sendable, CustomStringConvertible {
    /// The FNV-1a hash of the sorted rows.
    public var digest: UInt64
    /// How many rows were hashed.
    public var rows: Int

    /// Columns that hold wall-clock times, or hashes of them, which differ between otherwise
    /// equal runs: the only columns left out.
    static let timeColumns: Set<String> = ["committedAt", "createdAt", "seal", "chain"]

    /// Reads the fingerprint of the store file at `path` through a plain connection; run it
    /// after the store itself opened the file, so that any recovery has happened.
    ///
    /// - Throws: `DatabaseError` when the file cannot be read.
    public init(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        var lines: [String] = []
        try queue.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            for table in tables {
                let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_xinfo(?) ORDER BY cid", arguments: [table])
                    .filter { !Self.timeColumns.contains($0) }
                let quoted = columns.map { "quote(\($0.quotedDatabaseIdentifier))" }.joined(separator: " || '|' || ")
                let prefix = table + "(" + columns.joined(separator: ",") + "):"
                lines += try String.fetchAll(db, sql: "SELECT \(quoted) FROM \(table.quotedDatabaseIdentifier)").map { prefix + $0 }
            }
        }
        try queue.close()
        lines.sort()
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in lines.joined(separator: "\n").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        digest = hash
        rows = lines.count
    }

    /// `digest/rows`.
    public var description: String { "\(String(digest, radix: 16))/\(rows) rows" }
}
