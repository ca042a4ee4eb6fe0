import MMUCore

/// Why a hardware table could not be built or changed. Each case names the culprit.
public enum PageTableError: Error, Hashable, Sendable {
    /// Entries the format cannot hold; all offending entries are listed, each with its reason.
    case unrepresentable([RejectedEntry], format: String)
    /// No free physical range below the placement limit can hold the table pages.
    case noFreePhysicalRange(pages: Int, below: PhysicalAddress)
    /// The hashed table would have to grow beyond what the format can address.
    case hashTableFull(entries: Int, format: String)
    /// An incremental change removes an entry the table does not hold.
    case notInTable(MMUEntry)
    /// An incremental change adds an entry overlapping one the table holds.
    case overlapsTable(MMUEntry)
    /// The table being changed could not be walked back into entries.
    case unreadableTable(ImageError)
}

extension PageTableError {
    /// Runs a walk of the table being changed, reporting its failure as ``unreadableTable(_:)``.
    static func whileWalking<Value>(_ walk: () throws(ImageError) -> Value) throws(PageTableError) -> Value {
        do { return try walk() } catch { throw .unreadableTable(error) }
    }
}

/// One entry a format refused, and why.
public struct RejectedEntry: Hashable, Sendable {
    /// Why a format cannot hold an entry.
    public enum Reason: Hashable, Sendable {
        /// The format has no pages of this size.
        case unsupportedPageSize
        /// The frame (or its end) lies beyond what the format can address for this page size.
        case frameBeyondPhysicalWidth(bits: Int)
        /// The virtual page is not canonical (or crosses a hole) for the format.
        case nonCanonical
        /// IA-64 short format: a region's entries must all have the region's page size.
        case regionPageSizeConflict(region: Int, sizes: [PageSize])
        /// PowerPC: a segment's entries must all have the segment's base page size.
        case segmentPageSizeConflict(segment: UInt64, sizes: [PageSize])
        /// The entry is not aligned to its size.
        case misaligned
        /// IA-64 short format: the page lies in the region's linear-table window
        /// (`[2^61 − 2^42, 2^61)` of each region), which the VHPT itself occupies.
        case insideLinearTableWindow
    }

    /// The entry as given.
    public var entry: MMUEntry
    /// Why it was refused.
    public var reason: Reason

    /// Creates a rejection.
    public init(_ entry: MMUEntry, _ reason: Reason) {
        self.entry = entry
        self.reason = reason
    }
}

extension RejectedEntry.Reason: CustomStringConvertible {
    /// A phrase for people.
    public var description: String {
        switch self {
        case .unsupportedPageSize: "page size not supported"
        case .frameBeyondPhysicalWidth(let bits): "frame beyond the \(bits)-bit physical address width"
        case .nonCanonical: "virtual address not canonical"
        case .regionPageSizeConflict(let region, let sizes):
            "region \(region) mixes page sizes \(sizes.map(\.description).joined(separator: ", ")) (one size per region)"
        case .segmentPageSizeConflict(let segment, let sizes):
            "segment 0x\(String(segment, radix: 16)) mixes page sizes \(sizes.map(\.description).joined(separator: ", ")) (one base page size per segment)"
        case .misaligned: "not aligned to its page size"
        case .insideLinearTableWindow: "inside the region's linear page-table window"
        }
    }
}

extension PageTableError: CustomStringConvertible {
    /// A sentence naming the culprits.
    public var description: String {
        switch self {
        case .unrepresentable(let rejected, let format):
            let shown = rejected.prefix(20).map { "  \($0.entry): \($0.reason)" }.joined(separator: "\n")
            let more = rejected.count > 20 ? "\n  … and \(rejected.count - 20) more" : ""
            return "\(rejected.count) entries cannot be encoded as \(format):\n\(shown)\(more)"
        case .noFreePhysicalRange(let pages, let limit):
            return "no free physical range of \(pages) table pages below \(limit) avoids the mapped frames"
        case .hashTableFull(let entries, let format):
            return "the \(format) hash table cannot hold \(entries) entries"
        case .notInTable(let entry):
            return "\(entry) is not in the table"
        case .overlapsTable(let entry):
            return "\(entry) overlaps an entry in the table"
        case .unreadableTable(let error):
            return "the table being changed cannot be walked: \(error)"
        }
    }
}
