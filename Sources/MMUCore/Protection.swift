/// The access rights of a translation: read, write, execute, and whether user mode may use it.
///
/// Written as four letters, `rwxu`, with `-` for an absent right: `r-xu` is a user code page,
/// `rw--` a kernel data page.
public struct Protection: OptionSet, Hashable, Sendable {
    /// The bits: read 1, write 2, execute 4, user 8 (the value stored in the database).
    public let rawValue: UInt8

    /// Creates a protection from its stored bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x0F }

    /// Loads are allowed.
    public static let read = Protection(rawValue: 1)
    /// Stores are allowed.
    public static let write = Protection(rawValue: 2)
    /// Instruction fetches are allowed.
    public static let execute = Protection(rawValue: 4)
    /// User (least privileged) mode may access the page; without it only the kernel may.
    public static let user = Protection(rawValue: 8)
}

extension Protection: CustomStringConvertible {
    /// The `rwxu` form, such as `rw-u`.
    public var description: String {
        (contains(.read) ? "r" : "-") + (contains(.write) ? "w" : "-")
            + (contains(.execute) ? "x" : "-") + (contains(.user) ? "u" : "-")
    }
}

extension Protection: LosslessStringConvertible {
    /// Parses the `rwxu` form: exactly four positions, each its letter or `-` (`rw-u`, `r-x-`, `----`).
    ///
    /// - Throws: ``NotationError/protection(_:)`` for anything else, such as `rw`, an empty
    ///   string or `r-x-u`, with the positional spelling in the message.
    public init(parsing text: String) throws(NotationError) {
        let positions = Array(text)
        guard positions.count == 4 else { throw .protection(text) }
        var result: Protection = []
        for (position, (letter, right)) in zip(positions, [("r", Protection.read), ("w", .write), ("x", .execute), ("u", .user)]) {
            switch position {
            case Character(letter): result.insert(right)
            case "-": continue
            default: throw .protection(text)
            }
        }
        self = result
    }

    /// Parses the `rwxu` form as ``init(parsing:)`` does, or returns `nil`.
    public init?(_ text: String) {
        guard let protection = try? Protection(parsing: text) else { return nil }
        self = protection
    }
}

extension Protection: Codable {
    /// Decodes the `rwxu` text form.
    ///
    /// - Throws: `DecodingError.dataCorrupted` with the ``NotationError`` message.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Protection(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the `rwxu` text form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
