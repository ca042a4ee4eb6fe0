import CrashHarness
import Foundation
import Testing

extension CrashTests {
    /// T4 (RELIABILITY.md §8): 200 SIGKILLs of a writer committing random transactions while a
    /// reader checks the store; after every kill the store must open once, pass the deep check,
    /// and equal the expected state after the last acknowledged transaction or the one in flight.
    /// `mmu-crash-soak` runs the same soak for any number of kills.
    @Suite struct KillSoakTests {
        @Test func twoHundredKillsLoseNothingAndTearNothing() throws {
            let scratch = try Scratch()
            let seed = UInt64.random(in: 0...UInt64.max)
            let report = try KillSoak(KillSoak.Configuration(kills: 200, seed: seed, directory: scratch.directory)).run()
            print("T4 seed \(seed): \(report)")
            #expect(report.kills == 200)
            #expect(report.violations.isEmpty, "seed \(seed): \(report.violations.count) violations, first: \(report.violations.prefix(10))")
            #expect(report.acknowledged > 0, "seed \(seed): no transaction was ever acknowledged, so the soak proved nothing")
            #expect(report.committedInFlight <= report.kills)
            #expect(report.readerChecks > 0, "seed \(seed): the reader never completed a check")
            // T8: the WAL stays bounded through the soak.
            #expect(report.largestWAL < 64 << 20)
        }
    }
}
