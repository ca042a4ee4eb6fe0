import GRDB

/// The summaries and digests a transaction keeps current: live entry counts per page size and
/// protection, row counts, state digests, and the heads' content digests.
extension StoreBackend {
    /// Adds the transaction's changes to the live entry counts (`liveSummary`), dropping the
    /// rows that count nothing.
    func writeSummaries() throws {
        let update = try prepared(
            "UPDATE liveSummary SET entries = entries + ?4 WHERE setId = ?1 AND pageShift = ?2 AND protection = ?3")
        let insert = try prepared(
            "INSERT INTO liveSummary (setId, pageShift, protection, entries) VALUES (?1, ?2, ?3, ?4)")
        for (key, delta) in summaryDeltas where delta != 0 {
            try update.bind(key.setID, Int64(key.shift), Int64(key.protection), delta)
            if try update.execute() == 0 {
                try insert.bind(key.setID, Int64(key.shift), Int64(key.protection), delta)
                try insert.execute()
            }
        }
        // Only a count that went down can have reached zero.
        guard summaryDeltas.values.contains(where: { $0 < 0 }) else { return }
        let dropEmpty = try prepared("DELETE FROM liveSummary WHERE entries = 0")
        try dropEmpty.execute()
    }

    /// Writes the stored row counts, state digests, heads and content digests of the sets the
    /// transaction changed; returns the set's and the global set's content digests, and brings
    /// the stamp of the set's copy in memory, if it kept one, up to the new head.
    func writeHeads() throws -> (digest: UInt64, globalDigest: UInt64) {
        let addRows = try prepared("UPDATE translationSet SET storedRows = storedRows + ?2 WHERE id = ?1")
        for (setID, delta) in rowDeltas where delta != 0 {
            try addRows.bind(setID, delta)
            try addRows.execute()
        }
        let readDigests = try prepared("SELECT headDigest, stateDigest FROM translationSet WHERE id = ?1")
        let writeState = try prepared("UPDATE translationSet SET stateDigest = ?2 WHERE id = ?1")
        var stateDigest = set.info.stateDigest
        for (setID, delta) in stateDeltas where delta != 0 {
            try readDigests.bind(setID)
            let current = try readDigests.first(SetDigests.self)?.state ?? 0
            try writeState.bind(setID, Int64(bitPattern: current &+ delta))
            try writeState.execute()
            if setID == set.id { stateDigest = current &+ delta }
        }
        let writeHead = try prepared("UPDATE translationSet SET headGeneration = ?2, headDigest = ?3 WHERE id = ?1")
        let digest = set.info.headDigest &+ (digestDeltas[set.id] ?? 0)
        try writeHead.bind(set.id, generation, Int64(bitPattern: digest))
        try writeHead.execute()
        try readDigests.bind(TranslationStore.globalSetID)
        var globalDigest = try readDigests.first(SetDigests.self)?.head ?? 0
        if let globalGeneration {
            globalDigest &+= digestDeltas[TranslationStore.globalSetID] ?? 0
            try writeHead.bind(TranslationStore.globalSetID, globalGeneration, Int64(bitPattern: globalDigest))
            try writeHead.execute()
        }
        warm?.stamp.generation = generation
        warm?.stamp.headDigest = digest
        warm?.stamp.stateDigest = stateDigest
        return (digest, globalDigest)
    }
}

/// A set's content and state digests.
private struct SetDigests: StoredRow {
    var head: UInt64
    var state: UInt64

    static func columns(in statement: CachedStatement) throws(StoreError) -> (head: Int32, state: Int32) {
        (try statement.column("headDigest"), try statement.column("stateDigest"))
    }

    init(_ statement: CachedStatement, _ columns: (head: Int32, state: Int32)) {
        head = UInt64(bitPattern: statement.int64(columns.head))
        state = UInt64(bitPattern: statement.int64(columns.state))
    }
}
