import CrashHarness
import Foundation
import MMUCore
import MMUStore
import Testing

extension CrashTests {
    /// T8 (RELIABILITY.md §8): a writer waits for another process's lock, then fails with a
    /// typed `busy` error, within twice the busy timeout (5 s): one generous wall-clock bound,
    /// since a loaded machine stretches every nap. The handler's schedule itself (about 4,762
    /// naps of 0.5 to 1.5 ms adding up to the timeout) is checked without a clock by
    /// `BusyHandlerTests`.
    @Suite struct BusyTimeoutTests {
        @Test func aLockHeldLongerThanTheTimeoutFailsAsBusyInTime() throws {
            let scratch = try Scratch()
            let path = scratch.path("store.sqlite")
            let store = try TranslationStore(path: path, creatingIfMissing: true)
            try store.createSet(named: "p")
            #expect(TranslationStore.busyTimeout >= 5)
            let holder = try WorkerProcess(["hold-lock", "--store", path, "--set", "p", "--seconds", "8"])
            defer { holder.kill() }
            #expect(holder.waitForLine(startingWith: "LOCKED", timeout: 30), "the worker never took the lock")
            let started = Date()
            do {
                try store.update(set: "p") { tx in try tx.map(VirtualAddress(0x1000), to: PhysicalAddress(0x1000), protection: .read) }
                Issue.record("the update went through while another process held the write lock")
            } catch let error as StoreError {
                let waited = Date().timeIntervalSince(started)
                print("T8 busy: \(error.code) after \(String(format: "%.2f", waited)) s: \(error.message)")
                #expect(error.code == .busy)
                #expect(waited <= TranslationStore.busyTimeout * 2)
            }
            holder.kill()
            _ = holder.wait()
            try store.update(set: "p") { tx in try tx.map(VirtualAddress(0x1000), to: PhysicalAddress(0x1000), protection: .read) }
            #expect(try store.check(deep: true).isSound)
        }
    }
}
