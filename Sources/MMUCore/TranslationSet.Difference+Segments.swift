extension TranslationSet.Difference {
    /// A stretch of pages over which the element covering it on each side stays the same.
    struct Segment {
        /// The pages.
        var pages: Range<UInt64>
        /// The index of the old side's element covering the pages, `nil` for none.
        var old: Int?
        /// The index of the new side's element covering the pages, `nil` for none.
        var new: Int?
    }

    /// Calls `body` for each segment of two sorted lists of disjoint elements (entries, or
    /// memory areas), in address order: a segment ends wherever an element of either side starts
    /// or ends. Pages that neither side covers are not visited.
    ///
    /// - Complexity: O(*n* + *m*) for *n* and *m* elements.
    static func forEachSegment<Element>(
        _ old: [Element], _ new: [Element], range: (Element) -> VirtualRange, _ body: (Segment) -> Void
    ) {
        var i = 0, j = 0
        var cursor: UInt64 = 0
        while i < old.count || j < new.count {
            while i < old.count, range(old[i]).upperPage <= cursor { i += 1 }
            while j < new.count, range(new[j]).upperPage <= cursor { j += 1 }
            let left = i < old.count ? range(old[i]) : nil, right = j < new.count ? range(new[j]) : nil
            guard left != nil || right != nil else { break }
            let leftStart = left.map { max($0.lowerPage, cursor) } ?? .max
            let rightStart = right.map { max($0.lowerPage, cursor) } ?? .max
            let start = min(leftStart, rightStart)
            let leftCovers = leftStart == start ? left : nil, rightCovers = rightStart == start ? right : nil
            var end = min(leftCovers?.upperPage ?? .max, rightCovers?.upperPage ?? .max)
            if leftCovers == nil, let left { end = min(end, left.lowerPage) }
            if rightCovers == nil, let right { end = min(end, right.lowerPage) }
            cursor = end
            body(Segment(pages: start..<end, old: leftCovers == nil ? nil : i, new: rightCovers == nil ? nil : j))
        }
    }
}
