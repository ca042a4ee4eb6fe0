import GRDB

/// The whole content of a store file as one number: every row of every table except the
/// commit and creation times (and the seals and the log chain, which hash those times), so that
/// two stores built by the same operations have the same fingerprint, and a store that holds
/// half of an operation matches neither the state before it nor the state after it. Whether the
/// seals and the chain are right is what `check(deep:)` verifies on every recovery.
public struct StoreFingerprint: Hashable, Sendable, CustomStringConvertible {
    /// The FNV-1a hash of the sorted rows.
    public var digest: UInt64
    /// How many rows were hashed.
    public var rows: Int

    /// The tables of the schema, in a fixed order.
    static let tables = [
        "translationSet", "mmuEntry", "entryState", "pageActivity", "memoryArea", "liveSummary", "transactionLog", "snapshot",
        "grdb_migrations",
    ]

    /// Columns that hold wall-clock times, or hashes of them, which differ between otherwise
    /// equal runs.
    static let timeColumns: Set<String> = ["committedAt", "createdAt", "seal", "chain"]

    /// Reads the fingerprint of the store file at `path` through a plain connection; run it
    /// after the store itself opened the file, so that any recovery has happened.
    ///
    /// - Throws: `DatabaseError` when the file cannot be read.
    public init(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        var lines: [String] = []
        try queue.read { db in
            for table in Self.tables {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table)")
                for row in rows {
                    let fields = row.compactMap { column, value in
                        Self.timeColumns.contains(column) ? nil : "\(column)=\(value)"
                    }
                    lines.append(table + ":" + fields.joined(separator: "|"))
                }
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
