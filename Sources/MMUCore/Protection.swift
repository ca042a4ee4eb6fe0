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
    /// Parses the `rwxu` form: each of `r`, `w`, `x`, `u` at most once, `-` ignored (`rw-u`, `rx`, `---u`).
    public init?(_ text: String) {
        var result: Protection = []
        for character in text {
            let right: Protection
            switch character {
            case "r": right = .read
            case "w": right = .write
            case "x": right = .execute
            case "u": right = .user
            case "-": continue
            default: return nil
            }
            guard !result.contains(right) else { return nil }
            result.insert(right)
        }
        self = result
    }
}

extension Protection: Codable {
    /// Decodes the `rwxu` text form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let protection = Protection(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a protection (letters from rwxu, - for none)")
        }
        self = protection
    }

    /// Encodes the `rwxu` text form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
