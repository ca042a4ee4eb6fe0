import MMUCore

/// The map's horizontal axis: the occupied parts of the address space laid out side by side,
/// each long unmapped gap between them compressed to a fixed width and labelled.
///
/// Positions are in the page's nominal pixels (``width`` wide, before any zoom). Inside a
/// segment the axis is linear; a segment is as wide as the square root of its page count (at
/// least ``minimumSegmentWidth``), so a lone page stays visible next to gigabytes.
public struct AddressAxis: Hashable, Sendable {
    /// A linear stretch of the axis.
    public struct Segment: Hashable, Sendable {
        /// The pages the segment spans.
        public var pages: Range<UInt64>
        /// Its left and right edges, in nominal pixels.
        public var x: Range<Double>
    }

    /// A compressed unmapped gap between two segments.
    public struct Gap: Hashable, Sendable {
        /// The unmapped pages.
        public var pages: Range<UInt64>
        /// Its left and right edges, in nominal pixels.
        public var x: Range<Double>
        /// What the gap is: `unmapped`, or `canonical hole` when it holds the addresses the architecture cannot translate.
        public var label: String
    }

    /// The nominal width in pixels.
    public let width: Double
    /// The segments, in address order.
    public let segments: [Segment]
    /// The gaps, in address order (one between each two segments).
    public let gaps: [Gap]

    /// A gap shorter than this many pages (1 MiB) is drawn to scale inside its segment.
    public static let compressedGapPages: UInt64 = 256
    /// At most this many segments: only the largest gaps are compressed.
    public static let maximumSegments = 200
    /// The width of a compressed gap, in nominal pixels.
    public static let gapWidth = 24.0
    /// The narrowest a segment is drawn, in nominal pixels.
    public static let minimumSegmentWidth = 6.0

    /// Lays out the page ranges `occupied` (in any order, overlapping or not).
    ///
    /// - Parameters:
    ///   - occupied: The pages that hold something to draw: entries, areas, changes.
    ///   - addressing: The architecture's rule, to name the canonical hole; `nil` when unknown.
    ///   - width: The nominal width in pixels.
    /// - Complexity: O(*n* log *n*) for *n* ranges.
    public init(occupied: [Range<UInt64>], addressing: Architecture.VirtualAddressing?, width: Double = 1200) {
        self.width = width
        var merged: [Range<UInt64>] = []
        for range in occupied.filter({ !$0.isEmpty }).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        if merged.isEmpty { merged = [0..<1] }
        // Compress only the largest gaps, and only those of at least compressedGapPages.
        let gapSizes = zip(merged, merged.dropFirst()).enumerated().map { ($0.offset, $0.element.1.lowerBound - $0.element.0.upperBound) }
        let compressed = Set(
            gapSizes.filter { $0.1 >= Self.compressedGapPages }.sorted { $0.1 > $1.1 }.prefix(Self.maximumSegments - 1).map(\.0))
        var spans: [Range<UInt64>] = []
        for (index, range) in merged.enumerated() {
            if index > 0, !compressed.contains(index - 1), let last = spans.last {
                spans[spans.count - 1] = last.lowerBound..<range.upperBound
            } else {
                spans.append(range)
            }
        }
        let weights = spans.map { Double($0.count).squareRoot() }
        let free = max(width - Double(spans.count - 1) * Self.gapWidth, Double(spans.count) * Self.minimumSegmentWidth)
        let scale = free / weights.reduce(0, +)
        var widths = weights.map { max($0 * scale, Self.minimumSegmentWidth) }
        let overflow = widths.reduce(0, +) - free
        if overflow > 0 {
            let flexible = widths.filter { $0 > Self.minimumSegmentWidth }.reduce(0, +)
            widths = widths.map { $0 > Self.minimumSegmentWidth ? $0 - overflow * $0 / flexible : $0 }
        }
        var x = 0.0
        var segments: [Segment] = []
        var gaps: [Gap] = []
        for (index, span) in spans.enumerated() {
            if let previous = segments.last {
                let pages = previous.pages.upperBound..<span.lowerBound
                gaps.append(Gap(pages: pages, x: x..<(x + Self.gapWidth), label: Self.label(pages, addressing)))
                x += Self.gapWidth
            }
            segments.append(Segment(pages: span, x: x..<(x + widths[index])))
            x += widths[index]
        }
        self.segments = segments
        self.gaps = gaps
    }

    /// `canonical hole` when `pages` holds addresses the architecture cannot translate, else `unmapped`.
    static func label(_ pages: Range<UInt64>, _ addressing: Architecture.VirtualAddressing?) -> String {
        let hole: Range<UInt64>
        switch addressing {
        case .signExtended(let bits): hole = (1 << UInt64(bits - 1 - 12))..<(VirtualRange.pageLimit - (1 << UInt64(bits - 1 - 12)))
        case .splitHalves(let bits): hole = (1 << UInt64(bits - 12))..<(VirtualRange.pageLimit - (1 << UInt64(bits - 12)))
        default: return "unmapped"
        }
        return pages.lowerBound <= hole.lowerBound && hole.upperBound <= pages.upperBound ? "canonical hole" : "unmapped"
    }

    /// The nominal x position of the start of `page`, or `nil` when the page is in a compressed gap.
    ///
    /// - Complexity: O(log *s*) for *s* segments.
    public func x(ofPage page: UInt64) -> Double? {
        guard let index = segmentIndex(of: page) else { return nil }
        let segment = segments[index]
        return segment.x.lowerBound + Double(page - segment.pages.lowerBound) * pageWidth(of: segment)
    }

    /// The nominal x range `pages` covers, or `nil` when either end is in a compressed gap.
    ///
    /// - Complexity: O(log *s*) for *s* segments.
    public func x(ofPages pages: Range<UInt64>) -> Range<Double>? {
        guard !pages.isEmpty, let start = x(ofPage: pages.lowerBound), let index = segmentIndex(of: pages.upperBound - 1) else { return nil }
        let segment = segments[index]
        return start..<(segment.x.lowerBound + Double(pages.upperBound - segment.pages.lowerBound) * pageWidth(of: segment))
    }

    /// The index of the segment holding `page`.
    func segmentIndex(of page: UInt64) -> Int? {
        var low = 0, high = segments.count
        while low < high {
            let middle = (low + high) / 2
            if segments[middle].pages.upperBound <= page { low = middle + 1 } else { high = middle }
        }
        return low < segments.count && segments[low].pages.contains(page) ? low : nil
    }

    /// The nominal width of one page in `segment`.
    func pageWidth(of segment: Segment) -> Double {
        (segment.x.upperBound - segment.x.lowerBound) / Double(segment.pages.count)
    }
}
