import CrashHarness
import Foundation
import GRDB
import MMUStore
import Testing

/// The fingerprint is the crash tests' proof that a recovered store holds the state before or
/// after an operation, so it must see a change to any value it claims to hash: each test here
/// changes one behind the store's back. The columns it leaves out (times, and the seals and
/// chain that hash them) are the deep check's to guard, which the last test shows.
struct StoreFingerprintTests {
    /// A copy of the base store with `sql` run on it through a plain connection.
    func planted(_ sql: String, in scratch: Scratch) throws -> (before: StoreFingerprint, after: StoreFingerprint, path: String) {
        let path = scratch.path("planted.sqlite")
        try CrashFixtures.shared.copyTemplate(.deleteExtra, to: path)
        let before = try StoreFingerprint(path: path)
        let queue = try DatabaseQueue(path: path)
        let changes = try queue.write { db in
            try db.execute(sql: sql)
            return db.changesCount
        }
        try queue.close()
        #expect(changes == 1, "the planted fault '\(sql)' changed \(changes) rows")
        return (before, try StoreFingerprint(path: path), path)
    }

    @Test(arguments: [
        "UPDATE transactionLog SET digest = digest + 1 WHERE sequence = 1",
        "UPDATE transactionLog SET entriesRemoved = entriesRemoved + 1 WHERE sequence = 1",
        "UPDATE translationSet SET storedRows = storedRows + 1 WHERE id = 2",
        "UPDATE translationSet SET headDigest = headDigest + 1 WHERE id = 2",
        "UPDATE liveSummary SET entries = entries + 1 WHERE (setId, pageShift, protection) = (SELECT setId, pageShift, protection FROM liveSummary WHERE setId = 2 LIMIT 1)",
        "UPDATE mmuEntry SET pfn = pfn + 1 WHERE (setId, vpn, born) = (SELECT setId, vpn, born FROM mmuEntry WHERE setId = 2 LIMIT 1)",
        "DELETE FROM transactionLog WHERE sequence = (SELECT max(sequence) FROM transactionLog)",
        "UPDATE cacheModeName SET name = 'xx' WHERE cacheMode = 3",
    ])
    func aChangedValueChangesTheFingerprint(fault: String) throws {
        let scratch = try Scratch()
        let result = try planted(fault, in: scratch)
        #expect(result.after != result.before, "the fingerprint did not see: \(fault)")
    }

    @Test(arguments: [
        "UPDATE transactionLog SET chain = chain + 1 WHERE sequence = 1",
        "UPDATE transactionLog SET committedAt = '2000-01-01T00:00:00.000Z' WHERE sequence = 1",
    ])
    func aChangedTimeOrChainIsLeftToTheDeepCheck(fault: String) throws {
        let scratch = try Scratch()
        let result = try planted(fault, in: scratch)
        #expect(result.after == result.before)
        let recovery = Recovery(path: result.path, durability: .deleteExtra, fingerprinting: false)
        #expect(!recovery.problems.isEmpty, "check(deep: true) did not see: \(fault)")
    }
}
