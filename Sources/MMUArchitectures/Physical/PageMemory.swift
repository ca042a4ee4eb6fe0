/// The memory of a ``FrameStore``'s table pages: one zero-filled allocation of 64-bit words,
/// owned by this handle and freed with it.
///
/// The module's only unsafe memory code besides the buffers handed to `pread` and `pwrite` by
/// ``PageTableImage``. Reads and writes go through ``subscript(_:)``, bounds-checked
/// by a precondition, except ``word(at:)``, which walks use: its callers compute indices that
/// are in range by construction (a live slot times 512 plus an index below 512), and debug
/// builds check them with an assertion. Profiling showed the checks cost about 2 instructions
/// per level of every walk (9 of 144 per x86-64 4-level lookup).
///
/// A class for identity only: ``FrameStore`` copies it before a change when it is shared
/// (copy-on-write), so a handle that two stores see never changes.
final class PageMemory: @unchecked Sendable {  // changed only by a store holding the only reference
    /// The words.
    private let base: UnsafeMutablePointer<UInt64>
    /// The number of words allocated.
    let capacity: Int

    /// `capacity` zeroed words.
    init(capacity: Int) {
        precondition(capacity >= 0, "negative capacity")
        self.capacity = capacity
        base = .allocate(capacity: max(capacity, 1))
        base.initialize(repeating: 0, count: max(capacity, 1))
    }

    deinit { base.deallocate() }

    /// A copy with room for `capacity` words: the first `count` words copied, the rest zero.
    ///
    /// - Complexity: O(*capacity*).
    func copy(count: Int, capacity: Int) -> PageMemory {
        precondition(count >= 0 && count <= self.capacity && count <= capacity, "copying beyond the allocation")
        let copy = PageMemory(capacity: capacity)
        copy.base.update(from: base, count: count)
        return copy
    }

    /// Word `index`, bounds-checked.
    @inline(__always)
    subscript(index: Int) -> UInt64 {
        get {
            precondition(index >= 0 && index < capacity, "table word out of range")
            return base[index]
        }
        set {
            precondition(index >= 0 && index < capacity, "table word out of range")
            base[index] = newValue
        }
    }

    /// Word `index`, for walks: in range by construction, checked in debug builds only.
    @inline(__always)
    func word(at index: Int) -> UInt64 {
        assert(index >= 0 && index < capacity, "table word out of range")
        return base[index]
    }

    /// Sets every `stride`-th word of `start..<start + count` (starting with `start`) to `value`.
    ///
    /// - Complexity: O(*count* / *stride*).
    func set(_ value: UInt64, from start: Int, count: Int, stride: Int) {
        precondition(start >= 0 && count >= 0 && start + count <= capacity && stride > 0, "table words out of range")
        var pointer = base + start
        let end = base + start + count
        while pointer < end {
            pointer.pointee = value
            pointer += stride
        }
    }

    /// Sets words `start..<start + count` to zero.
    func zero(from start: Int, count: Int) {
        precondition(start >= 0 && count >= 0 && start + count <= capacity, "table words out of range")
        (base + start).update(repeating: 0, count: count)
    }
}
