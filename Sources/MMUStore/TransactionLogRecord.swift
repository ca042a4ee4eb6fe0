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
    static let countColumns = "maps, unmaps, protects, resizes, globals, copies, accesses, areas, entriesAdded, entriesRemoved"

    /// Appends the log row of a commit; returns its sequence number (one more than the last).
    static func append(
        _ db: Database, setID: Int64, generation: Int64, globalGeneration: Int64, label: String?, counts: OperationCounts,
        digest: UInt64, globalDigest: UInt64
    ) throws -> Int64 {
        let last = try Row.fetchOne(db, sql: "SELECT sequence, chain FROM transactionLog ORDER BY sequence DESC LIMIT 1")
        let lastSequence = try last?.decode(Int64.self, atIndex: 0) ?? 0
        guard (0..<Int64.max).contains(lastSequence) else {
            throw StoreError(.invalidData, "the transaction log's last sequence number \(lastSequence) is out of range (0 to \(Int64.max - 1))")
        }
        let sequence = lastSequence + 1
        let previous = UInt64(bitPattern: try last?.decode(Int64.self, atIndex: 1) ?? 0)
        let committedAt = Seal.now()
        let entry = LogEntry(
            sequence: sequence, setName: "", generation: generation, globalGeneration: globalGeneration, committedAt: committedAt,
            label: label, counts: counts, digest: digest, globalDigest: globalDigest)
        try db.execute(
            sql: """
                INSERT INTO transactionLog (sequence, setId, generation, globalGeneration, committedAt, label, \(countColumns), digest, globalDigest, chain)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                sequence, setID, generation, globalGeneration, committedAt, label, counts.maps, counts.unmaps, counts.protects,
                counts.resizes, counts.globals, counts.copies, counts.accesses, counts.areas, counts.entriesAdded,
                counts.entriesRemoved, Int64(bitPattern: digest), Int64(bitPattern: globalDigest),
                Int64(bitPattern: chain(after: previous, entry, setID: setID)),
            ])
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

    /// The operation counts in the columns ``countColumns`` names, starting at column `first`.
    static func counts(_ row: SQLiteStatement, from first: Int32) -> OperationCounts {
        var counts = OperationCounts()
        let fields: [WritableKeyPath<OperationCounts, Int>] = [
            \.maps, \.unmaps, \.protects, \.resizes, \.globals, \.copies, \.accesses, \.areas, \.entriesAdded, \.entriesRemoved,
        ]
        for (offset, field) in fields.enumerated() { counts[keyPath: field] = Int(row.int64(first + Int32(offset))) }
        return counts
    }

    /// Problems with the chain: the first row whose chain does not follow from the one before.
    static func chainProblems(_ db: Database) throws -> [String] {
        let query = try SQLiteStatement(db, """
            SELECT sequence, generation, globalGeneration, committedAt, label, \(countColumns), digest, globalDigest, chain, setId
            FROM transactionLog ORDER BY sequence
            """)
        var previous: UInt64 = 0
        while try query.step() {
            let counts = Self.counts(query, from: 5)
            let entry = LogEntry(
                sequence: query.int64(0), setName: "", generation: query.int64(1), globalGeneration: query.int64(2),
                committedAt: query.text(3), label: query.isNull(4) ? nil : query.text(4), counts: counts,
                digest: UInt64(bitPattern: query.int64(15)), globalDigest: UInt64(bitPattern: query.int64(16)))
            let expected = chain(after: previous, entry, setID: query.int64(18))
            guard expected == UInt64(bitPattern: query.int64(17)) else {
                return ["the chain breaks at sequence \(entry.sequence): the row was changed after it was written"]
            }
            previous = expected
        }
        return []
    }

    /// Log rows, oldest first, optionally of one set and after a sequence number.
    static func fetch(_ db: Database, setID: Int64?, after sequence: Int64, limit: Int) throws -> [LogEntry] {
        let query = try SQLiteStatement(db, """
            SELECT l.sequence, coalesce(t.name, '#' || l.setId), l.generation, l.globalGeneration, l.committedAt, l.label,
                \(countColumns.split(separator: ",").map { "l." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")),
                l.digest, l.globalDigest
            FROM transactionLog l LEFT JOIN translationSet t ON t.id = l.setId
            WHERE (?1 < 0 OR l.setId = ?1) AND l.sequence > ?2 ORDER BY l.sequence LIMIT ?3
            """)
        query.bind(setID ?? -1, sequence, Int64(limit))
        var result: [LogEntry] = []
        while try query.step() {
            let counts = Self.counts(query, from: 6)
            result.append(
                LogEntry(
                    sequence: query.int64(0), setName: query.text(1), generation: query.int64(2),
                    globalGeneration: query.int64(3), committedAt: query.text(4), label: query.isNull(5) ? nil : query.text(5),
                    counts: counts, digest: UInt64(bitPattern: query.int64(16)), globalDigest: UInt64(bitPattern: query.int64(17))))
        }
        return result
    }
}
