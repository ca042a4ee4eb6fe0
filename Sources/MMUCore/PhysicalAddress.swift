/// A physical address.
///
/// Stored as a 4 KiB frame number (``frameNumber``) in the database. Which widths are valid
/// depends on the architecture (see ``Architecture/physicalAddressBits``).
public struct PhysicalAddress: RawRepresentable, Hashable, Comparable, Sendable {
    /// The address as an unsigned 64-bit integer.
    public var rawValue: UInt64

    /// Creates an address from its 64-bit value.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Creates an address from its 64-bit value.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// Creates the address where the 4 KiB frame with the given number starts.
    ///
    /// - Precondition: `frameNumber < 2^52`.
    public init(frameNumber: UInt64) {
        precondition(frameNumber < VirtualRange.pageLimit, "frame number \(frameNumber) beyond 2^52")
        self.rawValue = frameNumber << PageSize.minimumShift
    }

    /// The number of the 4 KiB frame that contains this address (`address >> 12`).
    public var frameNumber: UInt64 { rawValue >> PageSize.minimumShift }

    /// Whether the address is a multiple of the page size.
    public func isAligned(to size: PageSize) -> Bool { rawValue & (size.byteCount - 1) == 0 }

    /// The address `byteCount` bytes further, or `nil` when that passes 2^64 − 1.
    public func advanced(by byteCount: UInt64) -> PhysicalAddress? {
        let (sum, overflow) = rawValue.addingReportingOverflow(byteCount)
        return overflow ? nil : PhysicalAddress(sum)
    }

    public static func < (lhs: PhysicalAddress, rhs: PhysicalAddress) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension PhysicalAddress: CustomStringConvertible {
    /// The address in hexadecimal, `0x` prefixed.
    public var description: String { "0x" + String(rawValue, radix: 16) }
}

extension PhysicalAddress: LosslessStringConvertible {
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

extension PhysicalAddress: Codable {
    /// Decodes a hexadecimal string or an integer.
    public init(from decoder: any Decoder) throws {
        self.init(try AddressParser.decode(from: decoder))
    }

    /// Encodes the address as a `0x`-prefixed hexadecimal string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
