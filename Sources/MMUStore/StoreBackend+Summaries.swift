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
        try db.execute(sql: "DELETE FROM liveSummary WHERE entries = 0")
    }

    /// Writes the stored row counts, state digests, heads and content digests of the sets the
    /// transaction changed; returns the set's and the global set's content digests.
    func writeHeads() throws -> (digest: UInt64, globalDigest: UInt64) {
        for (setID, delta) in rowDeltas where delta != 0 {
            try db.execute(sql: "UPDATE translationSet SET storedRows = storedRows + ? WHERE id = ?", arguments: [delta, setID])
        }
        for (setID, delta) in stateDeltas where delta != 0 {
            let current = UInt64(bitPattern: try Int64.fetchOne(db, sql: "SELECT stateDigest FROM translationSet WHERE id = ?", arguments: [setID]) ?? 0)
            try db.execute(
                sql: "UPDATE translationSet SET stateDigest = ? WHERE id = ?", arguments: [Int64(bitPattern: current &+ delta), setID])
        }
        let digest = set.info.headDigest &+ (digestDeltas[set.id] ?? 0)
        try db.execute(
            sql: "UPDATE translationSet SET headGeneration = ?, headDigest = ? WHERE id = ?",
            arguments: [generation, Int64(bitPattern: digest), set.id])
        var globalDigest = UInt64(bitPattern: try Int64.fetchOne(
            db, sql: "SELECT headDigest FROM translationSet WHERE id = ?", arguments: [TranslationStore.globalSetID]) ?? 0)
        if let globalGeneration {
            globalDigest &+= digestDeltas[TranslationStore.globalSetID] ?? 0
            try db.execute(
                sql: "UPDATE translationSet SET headGeneration = ?, headDigest = ? WHERE id = ?",
                arguments: [globalGeneration, Int64(bitPattern: globalDigest), TranslationStore.globalSetID])
        }
        return (digest, globalDigest)
    }
}
