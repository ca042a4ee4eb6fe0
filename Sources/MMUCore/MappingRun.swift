/// Consecutive entries that map consecutive virtual pages to consecutive frames with the same
/// size, protection, attributes and cache mode: how people read an address space.
public struct MappingRun: Hashable, Sendable {
    /// The first entry of the run.
    public var first: MMUEntry
    /// The number of entries in the run.
    public var count: Int

    /// The virtual pages the run covers.
    public var range: VirtualRange {
        VirtualRange(pages: first.pageNumber..<(first.pageNumber + UInt64(count) * first.size.pageCount))
    }

    /// The number of bytes the run maps.
    public var byteCount: UInt64 { UInt64(count) * first.size.byteCount }

    /// Whether `entry` continues this run.
    public func isContinued(by entry: MMUEntry) -> Bool {
        entry.size == first.size && entry.protection == first.protection && entry.attributes == first.attributes
            && entry.cacheMode == first.cacheMode
            && entry.pageNumber == range.upperPage
            && entry.frameNumber == first.frameNumber + UInt64(count) * first.size.pageCount
    }
}

extension Sequence where Element == MMUEntry {
    /// The entries, in order, grouped into runs.
    ///
    /// - Complexity: O(*n*).
    public func runs() -> [MappingRun] {
        var result: [MappingRun] = []
        for entry in self {
            if let last = result.last, last.isContinued(by: entry) {
                result[result.count - 1].count += 1
            } else {
                result.append(MappingRun(first: entry, count: 1))
            }
        }
        return result
    }
}
