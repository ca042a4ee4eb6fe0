/// A non-empty, 4 KiB-aligned range of virtual addresses, held as 4 KiB page numbers.
///
/// Page numbers make the last page of the address space representable: the range that ends at
/// 2^64 has `upperPage == 2^52`, which no 64-bit end address could express.
public struct VirtualRange: Hashable, Sendable {
    /// One past the largest 4 KiB page number (2^52).
    public static let pageLimit: UInt64 = 1 << 52

    /// Every 4 KiB page number: what `clear` and `replaceAreas` take to mean "everything".
    package static let everything = VirtualRange(pages: 0..<pageLimit)

    /// The first page number in the range.
    public let lowerPage: UInt64
    /// One past the last page number in the range.
    public let upperPage: UInt64

    /// Creates the range of pages `lowerPage..<upperPage`.
    ///
    /// - Precondition: `lowerPage < upperPage <= 2^52`.
    public init(pages: Range<UInt64>) {
        precondition(!pages.isEmpty && pages.upperBound <= Self.pageLimit, "invalid page range \(pages)")
        self.lowerPage = pages.lowerBound
        self.upperPage = pages.upperBound
    }

    /// Creates the range of `byteCount` bytes starting at `start`.
    ///
    /// - Throws: ``MappingError/misaligned(_:_:)`` when `start` or `byteCount` is not a multiple of
    ///   4 KiB, ``MappingError/emptyRange(_:)`` for zero bytes, ``MappingError/addressOverflow(_:byteCount:)``
    ///   when the range would pass the end of the address space.
    public init(start: VirtualAddress, byteCount: UInt64) throws(MappingError) {
        guard start.isAligned(to: .size4KiB) else { throw .misaligned(start, .size4KiB) }
        guard byteCount != 0 else { throw .emptyRange(start) }
        guard byteCount & (PageSize.size4KiB.byteCount - 1) == 0 else {
            throw .misalignedLength(start, byteCount: byteCount)
        }
        let pages = byteCount >> PageSize.minimumShift
        guard pages <= Self.pageLimit - start.pageNumber else { throw .addressOverflow(start, byteCount: byteCount) }
        self.init(pages: start.pageNumber..<(start.pageNumber + pages))
    }

    /// The first address in the range.
    public var start: VirtualAddress { VirtualAddress(pageNumber: lowerPage) }

    /// The last address in the range (inclusive), always representable.
    public var lastAddress: VirtualAddress { VirtualAddress((upperPage << PageSize.minimumShift) &- 1) }

    /// The number of 4 KiB pages in the range.
    public var pageCount: UInt64 { upperPage - lowerPage }

    /// The number of bytes in the range (never 2^64: a range starting at 0 ends before the top).
    public var byteCount: UInt64 { pageCount << PageSize.minimumShift }

    /// The page numbers in the range.
    public var pages: Range<UInt64> { lowerPage..<upperPage }

    /// Whether the address lies in the range.
    public func contains(_ address: VirtualAddress) -> Bool { pages.contains(address.pageNumber) }

    /// Whether every page of `other` lies in this range.
    public func contains(_ other: VirtualRange) -> Bool {
        lowerPage <= other.lowerPage && other.upperPage <= upperPage
    }

    /// Whether the two ranges share at least one page.
    public func overlaps(_ other: VirtualRange) -> Bool {
        lowerPage < other.upperPage && other.lowerPage < upperPage
    }

    /// The pages both ranges share, or `nil`.
    public func intersection(_ other: VirtualRange) -> VirtualRange? {
        let lower = max(lowerPage, other.lowerPage)
        let upper = min(upperPage, other.upperPage)
        return lower < upper ? VirtualRange(pages: lower..<upper) : nil
    }
}

extension VirtualRange: CustomStringConvertible {
    /// `start-end` in hexadecimal with an exclusive end, as in `/proc/PID/maps`.
    public var description: String {
        let end = upperPage == Self.pageLimit ? "10000000000000000" : String(upperPage << PageSize.minimumShift, radix: 16)
        return "0x\(String(start.rawValue, radix: 16))-0x\(end)"
    }
}

extension VirtualRange: Codable {
    private enum CodingKeys: String, CodingKey { case start, byteCount }

    /// Decodes `{"start": "0x…", "byteCount": N}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let start = try container.decode(VirtualAddress.self, forKey: .start)
        let byteCount = try container.decode(UInt64.self, forKey: .byteCount)
        do {
            try self.init(start: start, byteCount: byteCount)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .byteCount, in: container, debugDescription: error.description)
        }
    }

    /// Encodes `{"start": "0x…", "byteCount": N}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(start, forKey: .start)
        try container.encode(byteCount, forKey: .byteCount)
    }
}

extension Array where Element == VirtualRange {
    /// The ranges sorted and merged where they touch or overlap.
    ///
    /// - Complexity: O(*n* log *n*).
    public func coalesced() -> [VirtualRange] {
        var result: [VirtualRange] = []
        for range in sorted(by: { $0.lowerPage < $1.lowerPage }) {
            if let last = result.last, range.lowerPage <= last.upperPage {
                result[result.count - 1] = VirtualRange(pages: last.lowerPage..<Swift.max(last.upperPage, range.upperPage))
            } else {
                result.append(range)
            }
        }
        return result
    }
}
