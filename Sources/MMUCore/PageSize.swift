/// The size of a page: a power of two from 4 KiB to 4 GiB.
///
/// Corresponds to the page-size argument of the proposal's `mksize`. A page size is a runtime
/// value (IA-64 alone has ten of them), stored as its shift: 12 is 4 KiB, 21 is 2 MiB.
public struct PageSize: Hashable, Comparable, Sendable {
    /// log2 of the size in bytes, from 12 to 32.
    public let shift: UInt8

    /// The smallest shift (4 KiB), the unit of page and frame numbers.
    public static let minimumShift: UInt64 = 12
    /// The largest shift (4 GiB).
    public static let maximumShift: UInt64 = 32

    /// Creates the page size `2^shift` bytes, or `nil` when `shift` is outside 12...32.
    public init?(shift: Int) {
        guard (Int(Self.minimumShift)...Int(Self.maximumShift)).contains(shift) else { return nil }
        self.shift = UInt8(shift)
    }

    /// Creates the page size of exactly `byteCount` bytes, or `nil` unless it is a power of two
    /// from 4 KiB to 4 GiB.
    public init?(byteCount: UInt64) {
        guard byteCount != 0, byteCount & (byteCount - 1) == 0 else { return nil }
        self.init(shift: byteCount.trailingZeroBitCount)
    }

    /// The size in bytes.
    public var byteCount: UInt64 { 1 << UInt64(shift) }

    /// The number of 4 KiB pages a page of this size spans.
    public var pageCount: UInt64 { 1 << (UInt64(shift) - Self.minimumShift) }

    public static func < (lhs: PageSize, rhs: PageSize) -> Bool { lhs.shift < rhs.shift }

    /// 4 KiB.
    public static let size4KiB = PageSize(uncheckedShift: 12)
    /// 8 KiB (IA-64).
    public static let size8KiB = PageSize(uncheckedShift: 13)
    /// 16 KiB (IA-64's Linux default).
    public static let size16KiB = PageSize(uncheckedShift: 14)
    /// 64 KiB (IA-64, PowerPC).
    public static let size64KiB = PageSize(uncheckedShift: 16)
    /// 256 KiB (IA-64).
    public static let size256KiB = PageSize(uncheckedShift: 18)
    /// 1 MiB (IA-64).
    public static let size1MiB = PageSize(uncheckedShift: 20)
    /// 2 MiB (x86-64, PAE, AArch64, RISC-V megapages).
    public static let size2MiB = PageSize(uncheckedShift: 21)
    /// 4 MiB (i386 PSE, IA-64).
    public static let size4MiB = PageSize(uncheckedShift: 22)
    /// 16 MiB (IA-64, PowerPC).
    public static let size16MiB = PageSize(uncheckedShift: 24)
    /// 64 MiB (IA-64).
    public static let size64MiB = PageSize(uncheckedShift: 26)
    /// 256 MiB (IA-64).
    public static let size256MiB = PageSize(uncheckedShift: 28)
    /// 1 GiB (x86-64, AArch64, RISC-V gigapages).
    public static let size1GiB = PageSize(uncheckedShift: 30)
    /// 4 GiB, the largest size the canonical form holds.
    public static let size4GiB = PageSize(uncheckedShift: 32)

    /// Every size from 4 KiB to 4 GiB, ascending.
    public static let all: [PageSize] = (12...32).map { PageSize(uncheckedShift: UInt8($0)) }

    private init(uncheckedShift: UInt8) { self.shift = uncheckedShift }
}

extension PageSize: CustomStringConvertible {
    /// The size with a binary unit, such as `4KiB` or `2MiB`.
    public var description: String {
        switch shift {
        case 30...: "\(1 << (Int(shift) - 30))GiB"
        case 20..<30: "\(1 << (Int(shift) - 20))MiB"
        default: "\(1 << (Int(shift) - 10))KiB"
        }
    }
}

extension PageSize: LosslessStringConvertible {
    /// Parses a page size written as ``ByteCountParser`` reads sizes: `4K`, `4KiB`, `2M`, `1G`,
    /// or a byte count (`4096`, `0x200000`).
    ///
    /// - Throws: ``NotationError/ambiguousUnit(_:)`` for `4KB`, ``NotationError/notAPageSize(_:)``
    ///   for a number that is not a power of two from 4 KiB to 4 GiB, or the parser's error.
    public init(parsing text: String) throws(NotationError) {
        guard let size = PageSize(byteCount: try ByteCountParser.byteCount(text)) else { throw .notAPageSize(text) }
        self = size
    }

    /// Parses a page size as ``init(parsing:)`` does, or returns `nil`.
    public init?(_ text: String) {
        guard let size = try? PageSize(parsing: text) else { return nil }
        self = size
    }
}

extension PageSize: Codable {
    /// Decodes a size written as text (`"2MiB"`) or as a byte count.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text: String
        if let bytes = try? container.decode(UInt64.self) {
            text = "\(bytes)"
        } else {
            text = try container.decode(String.self)
        }
        do {
            self = try PageSize(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the size as text, such as `"2MiB"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
