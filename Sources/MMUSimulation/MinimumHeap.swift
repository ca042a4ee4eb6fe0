import HeapModule

/// The buddy allocator's heaps of free block frames: swift-collections' `Heap`, under the
/// name the allocator uses.
typealias MinimumHeap = Heap<UInt64>

extension Heap<UInt64> {
    /// Removes and returns the smallest value, or `nil` when the heap is empty.
    ///
    /// - Complexity: O(log *n*).
    mutating func popMinimum() -> UInt64? { popMin() }
}
