/// A small, fast, seedable random number generator, so that every property test can be
/// replayed from the seed it prints.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The seeds property tests run with: fixed ones, plus one drawn now (printed on failure).
public enum PropertySeeds {
    /// Fixed seeds, then one random seed.
    public static let all: [UInt64] = [1, 2, 3, 0xC0FFEE, UInt64.random(in: 0...UInt64.max)]
}
