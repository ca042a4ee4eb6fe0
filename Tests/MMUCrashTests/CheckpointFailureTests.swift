@_spi(FaultInjection) import CrashHarness
import Foundation
import GRDB
import MMUCore
@_spi(FaultInjection) import MMUStore
import Synchronization
import Testing

extension CrashTests {
    /// The checkpoint a commit runs after itself once the write-ahead log passes its bound:
    /// a failure other than busy reaches ``TranslationStore/checkpointFailureHandler`` while
    /// the commit itself succeeds (it is durable in the log); readers keeping the checkpoint
    /// from finishing are not a failure.
    @Suite struct CheckpointFailureTests {
        /// The failures the handler was given.
        final class Failures: Sendable {
            let list = Mutex<[StoreError]>([])

            func record(_ failure: StoreError) { list.withLock { $0.append(failure) } }
            var all: [StoreError] { list.withLock { $0 } }
        }

        func walSize(_ path: String) throws -> UInt64 {
            try #require(FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? NSNumber).uint64Value
        }

        func map(_ page: UInt64, in store: TranslationStore) throws {
            try store.update(set: "p") { tx in
                try tx.map(VirtualAddress(pageNumber: page), to: PhysicalAddress(frameNumber: page), protection: .read)
            }
        }

        @Test func aFailedCheckpointIsReportedAndTheCommitStands() throws {
            try FaultVFS.register()
            let scratch = try Scratch()
            let path = scratch.path("store.sqlite")
            var store = try TranslationStore(path: path, creatingIfMissing: true, vfs: FaultVFS.name, durability: .walFull)
            let failures = Failures()
            store.checkpointFailureHandler = failures.record
            store.writeAheadLogLimit = 0
            try store.createSet(named: "p")
            try map(1, in: store)
            #expect(failures.all.isEmpty)
            #expect(try walSize(path) == 0, "the commit's checkpoint truncates the log")

            // A commit never truncates the write-ahead log; its checkpoint does, and fails.
            FaultVFS.reset()
            FaultVFS.arm(.transient, at: 1, operations: .truncate)
            try map(2, in: store)
            FaultVFS.disarm()
            #expect(FaultVFS.faults == 1, "the scheduled truncate fault was not reached")
            let reported = failures.all
            try #require(reported.count == 1, "\(reported)")
            #expect(reported[0].code == .io)
            #expect(reported[0].message.contains("the transaction was committed") && reported[0].message.contains("-wal"), "\(reported[0].message)")
            #expect(try walSize(path) > 0)
            #expect(try store.translationSet(named: "p").count == 2)

            // The next commit's checkpoint succeeds, and the store is whole, also to a new connection.
            try map(3, in: store)
            #expect(failures.all.count == 1)
            #expect(try walSize(path) == 0)
            #expect(try store.check(deep: true).isSound)
            #expect(try TranslationStore(path: path).translationSet(named: "p").count == 3)
        }

        @Test func aReaderHoldingTheLogIsNotAFailure() throws {
            let scratch = try Scratch()
            let path = scratch.path("store.sqlite")
            var store = try TranslationStore(path: path, creatingIfMissing: true)
            let failures = Failures()
            store.checkpointFailureHandler = failures.record
            store.writeAheadLogLimit = 0
            try store.createSet(named: "p")
            let reader = try DatabaseQueue(path: path)
            let clock = ContinuousClock()
            let waited = try reader.read { db in
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM translationSet")
                // The checkpoint waits for the reader a short while, then gives up.
                return try clock.measure { try map(1, in: store) }
            }
            #expect(failures.all.isEmpty, "\(failures.all)")
            #expect(waited < .seconds(TranslationStore.busyTimeout / 2), "the commit waited \(waited) for its checkpoint, as long as for a lock")
            #expect(try walSize(path) > 0, "the reader kept the checkpoint from truncating the log")
            try map(2, in: store)
            #expect(failures.all.isEmpty)
            #expect(try walSize(path) == 0)
        }
    }
}
