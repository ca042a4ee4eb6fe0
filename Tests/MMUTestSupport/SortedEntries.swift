import MMUCore

/// Disjoint entries kept sorted by address, with binary-searched range queries: the storage
/// of the test models.
public struct SortedEntries: Equatable {
    public private(set) var entries: [MMUEntry] = []

    public init(_ entries: [MMUEntry] = []) {
        self.entries = entries.sorted { $0.pageNumber < $1.pageNumber }
    }

    /// The index of the first entry whose end is above `page`.
    func firstIndex(endingAfter page: UInt64) -> Int {
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].range.upperPage <= page { low = middle + 1 } else { high = middle }
        }
        return low
    }

    public func overlapping(_ range: VirtualRange) -> [MMUEntry] {
        var index = firstIndex(endingAfter: range.lowerPage)
        var result: [MMUEntry] = []
        while index < entries.count, entries[index].pageNumber < range.upperPage {
            result.append(entries[index])
            index += 1
        }
        return result
    }

    public mutating func insert(_ entry: MMUEntry) {
        entries.insert(entry, at: firstIndex(endingAfter: entry.pageNumber))
    }

    public mutating func remove(atPage page: UInt64) {
        let index = firstIndex(endingAfter: page)
        if index < entries.count, entries[index].pageNumber == page { entries.remove(at: index) }
    }

    public mutating func update(atPage page: UInt64, _ change: (inout MMUEntry) -> Void) {
        let index = firstIndex(endingAfter: page)
        if index < entries.count, entries[index].pageNumber == page { change(&entries[index]) }
    }
}
