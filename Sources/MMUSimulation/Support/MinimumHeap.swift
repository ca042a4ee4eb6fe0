/// A binary min-heap of 64-bit values.
struct MinimumHeap: Sendable {
    private var values: [UInt64] = []

    init() {}

    /// A heap of the given values.
    init(_ elements: some Sequence<UInt64>) {
        values = elements.sorted()
    }

    var count: Int { values.count }

    /// Adds a value.
    ///
    /// - Complexity: O(log *n*).
    mutating func insert(_ value: UInt64) {
        values.append(value)
        var child = values.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard values[child] < values[parent] else { break }
            values.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the smallest value.
    ///
    /// - Complexity: O(log *n*).
    mutating func popMinimum() -> UInt64? {
        guard let first = values.first else { return nil }
        let last = values.removeLast()
        guard !values.isEmpty else { return first }
        values[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < values.count, values[left] < values[smallest] { smallest = left }
            if right < values.count, values[right] < values[smallest] { smallest = right }
            guard smallest != parent else { break }
            values.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}
