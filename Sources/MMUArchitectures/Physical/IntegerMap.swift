/// A small open-addressing hash map from 64-bit keys to integers, for the lookups that sit on
/// walk paths (IA-64 short-format table pages, PowerPC segments): a multiplicative hash and
/// linear probing instead of `Dictionary`'s seeded SipHash.
struct IntegerMap: Hashable, Sendable {
    private static let empty = UInt64.max
    private var keys: [UInt64] = [UInt64](repeating: IntegerMap.empty, count: 16)
    private var values: [Int] = [Int](repeating: 0, count: 16)
    /// The number of keys.
    private(set) var count = 0

    /// An empty map.
    init() {}

    @inline(__always)
    private func home(_ key: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The value of `key`, or `nil`. `UInt64.max` is not a valid key.
    @inline(__always)
    subscript(key: UInt64) -> Int? {
        get {
            let mask = keys.count - 1
            var index = home(key, mask: mask)
            while true {
                let found = keys[index]
                if found == key { return values[index] }
                if found == Self.empty { return nil }
                index = (index + 1) & mask
            }
        }
        set {
            if let newValue { insert(key, newValue) } else { remove(key) }
        }
    }

    /// Every key and value, in no particular order.
    var pairs: [(key: UInt64, value: Int)] {
        zip(keys, values).compactMap { $0.0 == Self.empty ? nil : ($0.0, $0.1) }
    }

    private mutating func insert(_ key: UInt64, _ value: Int) {
        precondition(key != Self.empty, "UInt64.max is reserved")
        if (count + 1) * 4 > keys.count * 3 { grow() }
        let mask = keys.count - 1
        var index = home(key, mask: mask)
        while keys[index] != Self.empty && keys[index] != key { index = (index + 1) & mask }
        if keys[index] == Self.empty { count += 1 }
        keys[index] = key
        values[index] = value
    }

    private mutating func remove(_ key: UInt64) {
        let mask = keys.count - 1
        var index = home(key, mask: mask)
        while keys[index] != key {
            if keys[index] == Self.empty { return }
            index = (index + 1) & mask
        }
        keys[index] = Self.empty
        count -= 1
        // Re-insert the rest of the cluster so that probing stays correct.
        var next = (index + 1) & mask
        while keys[next] != Self.empty {
            let movedKey = keys[next], movedValue = values[next]
            keys[next] = Self.empty
            count -= 1
            insert(movedKey, movedValue)
            next = (next + 1) & mask
        }
    }

    private mutating func grow() {
        let old = pairs
        keys = [UInt64](repeating: Self.empty, count: keys.count * 2)
        values = [Int](repeating: 0, count: keys.count)
        count = 0
        for (key, value) in old { insert(key, value) }
    }
}
