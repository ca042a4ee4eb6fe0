/// One 64-bit entry of `/proc/PID/pagemap` (Documentation/admin-guide/mm/pagemap.rst).
public struct PagemapEntry: RawRepresentable, Hashable, Sendable {
    /// The entry as read.
    public var rawValue: UInt64

    /// Creates an entry from its bits.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Bit 63: the page is present in memory.
    public var isPresent: Bool { rawValue & (1 << 63) != 0 }
    /// Bit 62: the page is swapped out.
    public var isSwapped: Bool { rawValue & (1 << 62) != 0 }
    /// Bit 61: the page is file-backed or shared anonymous memory.
    public var isFileOrSharedAnonymous: Bool { rawValue & (1 << 61) != 0 }
    /// Bit 56: the page is mapped only here.
    public var isExclusive: Bool { rawValue & (1 << 56) != 0 }
    /// Bits 0–54 of a present page: its frame number (0 when the reader lacks `CAP_SYS_ADMIN`).
    public var frameNumber: UInt64? { isPresent ? rawValue & ((1 << 55) - 1) : nil }
}
