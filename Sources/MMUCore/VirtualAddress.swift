/// A 64-bit virtual address.
///
/// Virtual addresses are plain 64-bit values; whether one is *canonical* depends on the
/// architecture, so ``Architecture`` checks that, not this type. The store keeps addresses
/// as 4 KiB page numbers (``pageNumber``), which always fit a signed 64-bit SQLite integer.
public struct VirtualAddress: RawRepresentable, Hashable, Comparable, Sendable {
    /// The address as an unsigned 64-bit integer.
    public var rawValue: UInt64

    /// Creates an address from its 64-bit value.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Creates an address from its 64-bit value.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// Creates the address where the 4 KiB page with the given number starts.
    ///
    /// - Precondition: `pageNumber < 2^52`.
    public init(pageNumber: UInt64) {
        precondition(pageNumber < VirtualRange.pageLimit, "page number \(pageNumber) beyond 2^52")
        self.rawValue = pageNumber << PageSize.minimumShift
    }

    /// The number of the 4 KiB page that contains this address (`address >> 12`).
    public var pageNumber: UInt64 { rawValue >> PageSize.minimumShift }

    /// The offset of this address inside a page of the given size.
    public func offset(in size: PageSize) -> UInt64 { rawValue & (size.byteCount - 1) }

    /// Whether the address is a multiple of the page size.
    public func isAligned(to size: PageSize) -> Bool { offset(in: size) == 0 }

    /// The start of the page of the given size that contains this address.
    public func alignedDown(to size: PageSize) -> VirtualAddress {
        VirtualAddress(rawValue & ~(size.byteCount - 1))
    }

    /// The address `byteCount` bytes further, or `nil` when that passes 2^64 − 1.
    public func advanced(by byteCount: UInt64) -> VirtualAddress? {
        let (sum, overflow) = rawValue.addingReportingOverflow(byteCount)
        return overflow ? nil : VirtualAddress(sum)
    }

    public static func < (lhs: VirtualAddress, rhs: VirtualAddress) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension VirtualAddress: CustomStringConvertible {
    /// The address in hexadecimal, `0x` prefixed.
    public var description: String { "0x" + String(rawValue, radix: 16) }
}

extension VirtualAddress: LosslessStringConvertible {
    /// Parses `0x`-prefixed hexadecimal or decimal text (plain digits are decimal); underscores are ignored.
    ///
    /// - Throws: ``NotationError/negative(_:)``, ``NotationError/tooLarge(_:)`` or
    ///   ``NotationError/notAnAddress(_:)``.
    public init(parsing text: String) throws(NotationError) {
        self.init(try AddressParser.address(text))
    }

    /// Parses `0x`-prefixed hexadecimal or decimal text; underscores are ignored.
    public init?(_ description: String) {
        guard let value = AddressParser.parse(description) else { return nil }
        self.init(value)
    }
}

extension VirtualAddress: Codable {
    /// Decodes a hexadecimal string or an integer.
    public init(from decoder: any Decoder) throws {
        self.init(try AddressParser.decode(from: decoder))
    }

    /// Encodes the address as a `0x`-prefixed hexadecimal string, exact for every 64-bit value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
