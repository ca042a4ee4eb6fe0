import Foundation
import GRDB
import MMUCore

/// One committed mmu transaction, as the audit trail records it.
public struct LogEntry: Hashable, Sendable, Codable {
    /// The store-wide sequence number, contiguous from 1.
    public var sequence: Int64
    /// The set the transaction ran on.
    public var setName: String
    /// The generation it created.
    public var generation: Int64
    /// The global set's generation the set's view includes from then on.
    public var globalGeneration: Int64
    /// When it committed (ISO 8601, UTC).
    public var committedAt: String
    /// The caller's label.
    public var label: String?
    /// Operation and entry counts.
    public var counts: OperationCounts
    /// The content digest of the set's own entries after the commit and areas (see ``MMUCore/TranslationSet/contentDigest``).
    public var digest: UInt64
    /// The content digest of the global set's entries this generation sees.
    public var globalDigest: UInt64
}

/// Reading and appending `transactionLog` rows.
enum TransactionLogRecord {
    /// Appends the log row of a commit; returns its sequence number (one more than the last).
    static func append(
        _ db: Database, setID: Int64, generation: Int64, globalGeneration: Int64, label: String?, counts: OperationCounts,
        digest: UInt64, globalDigest: UInt64
    ) throws -> Int64 {
        let last = try CachedStatement("SELECT * FROM transactionLog ORDER BY sequence DESC LIMIT 1", on: db).first(LogRow.self)
        let lastSequence = last?.entry.sequence ?? 0
        guard (0..<Int64.max).contains(lastSequence) else {
            throw StoreError(.invalidData, "the transaction log's last sequence number \(lastSequence) is out of range (0 to \(Int64.max - 1))")
        }
        let sequence = lastSequence + 1
        let previous = last?.chain ?? 0
        let committedAt = Seal.now()
        let entry = LogEntry(
            sequence: sequence, setName: "", generation: generation, globalGeneration: globalGeneration, committedAt: committedAt,
            label: label, counts: counts, digest: digest, globalDigest: globalDigest)
        let insert = try CachedStatement(
            """
            INSERT INTO transactionLog (sequence, setId, generation, globalGeneration, committedAt, label, \(LogRow.countColumns.joined(separator: ", ")), digest, globalDigest, chain)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
            """, on: db)
        try insert.bind(sequence, setID, generation, globalGeneration)
        try insert.bind(committedAt, at: 5)
        try insert.bind(label, at: 6)
        let values = [
            counts.maps, counts.unmaps, counts.protects, counts.resizes, counts.globals, counts.copies, counts.accesses, counts.areas,
            counts.entriesAdded, counts.entriesRemoved,
        ].map(Int64.init) + [digest, globalDigest, chain(after: previous, entry, setID: setID)].map { Int64(bitPattern: $0) }
        for (offset, value) in values.enumerated() { try insert.bind(value, at: Int32(7 + offset)) }
        try insert.execute()
        return sequence
    }

    /// The chain value of `entry` (of set `setID`) following a row whose chain is `previous`.
    static func chain(after previous: UInt64, _ entry: LogEntry, setID: Int64) -> UInt64 {
        let counts = entry.counts
        return Seal.combine(
            [5, previous, Seal.integer(entry.sequence), Seal.integer(setID), Seal.integer(entry.generation),
             Seal.integer(entry.globalGeneration), Seal.text(entry.committedAt), Seal.text(entry.label)]
                + [counts.maps, counts.unmaps, counts.protects, counts.resizes, counts.globals, counts.copies, counts.accesses,
                   counts.areas, counts.entriesAdded, counts.entriesRemoved].map { UInt64(bitPattern: Int64($0)) }
                + [entry.digest, entry.globalDigest])
    }

    /// Problems with the chain: the first row whose chain does not follow from the one before.
    static func chainProblems(_ db: Database) throws -> [String] {
        let query = try CachedStatement("SELECT * FROM transactionLog ORDER BY sequence", on: db)
        defer { query.reset() }
        var previous: UInt64 = 0
        while let row = try query.next(LogRow.self) {
            let expected = chain(after: previous, row.entry, setID: row.setID ?? 0)
            guard expected == row.chain else {
                return ["the chain breaks at sequence \(row.entry.sequence): the row was changed after it was written"]
            }
            previous = expected
        }
        return []
    }

    /// Log rows, oldest first, optionally of one set and after a sequence number.
    static func fetch(_ db: Database, setID: Int64?, after sequence: Int64, limit: Int) throws -> [LogEntry] {
        let query = try CachedStatement(
            """
            SELECT l.*, coalesce(t.name, '#' || l.setId) AS setName
            FROM transactionLog l LEFT JOIN translationSet t ON t.id = l.setId
            WHERE (?1 < 0 OR l.setId = ?1) AND l.sequence > ?2 ORDER BY l.sequence LIMIT ?3
            """, on: db)
        try query.bind(setID ?? -1, sequence, Int64(limit))
        return try query.all(LogRow.self).map(\.entry)
    }
}
