import CrashHarness
import Foundation
import MMUCore
import MMUStore
import Testing

extension CrashTests {
    /// T8 (RELIABILITY.md §8): the fault VFS really is under the store: its counters move
    /// when a store opened over it commits, and a fault it schedules reaches the caller.
    @Suite struct FaultVFSProbeTests {
        @Test(arguments: TranslationStore.Durability.allCases)
        func theProbeMovesItsCountersAndItsFaultsReachTheCaller(durability: TranslationStore.Durability) throws {
            try FaultVFS.register()
            let scratch = try Scratch()
            let path = scratch.path("store.sqlite")
            let store = try TranslationStore(path: path, creatingIfMissing: true, vfs: FaultVFS.name, durability: durability)
            try store.createSet(named: "p")
            FaultVFS.reset()
            try store.update(set: "p") { tx in try tx.map(VirtualAddress(0x1000), to: PhysicalAddress(0x1000), protection: .read) }
            #expect(FaultVFS.count(.write) > 0)
            #expect(durability == .walNormal ? FaultVFS.count(.sync) == 0 : FaultVFS.count(.sync) > 0)
            if durability == .deleteExtra {
                #expect(FaultVFS.directorySyncs > 0, "synchronous=EXTRA syncs the directory when it deletes the journal")
            }
            FaultVFS.arm(.transient, at: 1, operations: .write)
            do {
                try store.update(set: "p") { tx in try tx.map(VirtualAddress(0x2000), to: PhysicalAddress(0x2000), protection: .read) }
                Issue.record("the scheduled write fault did not reach the caller")
            } catch let error as StoreError {
                #expect(error.code == .io)
            }
            #expect(FaultVFS.faults == 1)
            FaultVFS.disarm()
            #expect(try store.translationSet(named: "p").count == 1)
            #expect(try store.check(deep: true).isSound)
        }
    }
}
