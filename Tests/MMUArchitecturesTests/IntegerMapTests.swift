@testable import MMUArchitectures
import MMUTestSupport
import Testing

/// The walk-path hash map agrees with `Dictionary` through random inserts and removals
/// (removal re-inserts the rest of a probe cluster).
struct IntegerMapTests {
    @Test(arguments: PropertySeeds.all)
    func behavesLikeADictionary(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        var map = IntegerMap()
        var reference: [UInt64: Int] = [:]
        for step in 0..<20_000 {
            // A small key space makes collisions and clusters common.
            let key = generator.next() % 2048
            if generator.next() % 3 == 0 {
                map[key] = nil
                reference[key] = nil
            } else {
                map[key] = step
                reference[key] = step
            }
        }
        #expect(map.count == reference.count, "seed \(seed)")
        for key in 0..<UInt64(2048) { #expect(map[key] == reference[key], "seed \(seed) key \(key)") }
        #expect(Dictionary(uniqueKeysWithValues: map.pairs.map { ($0.key, $0.value) }) == reference)
    }
}
