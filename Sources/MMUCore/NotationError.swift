/// Why a protection, size, length or address written as text was refused; the message shows a
/// spelling that works.
///
/// Thrown (typed) by ``Protection/init(parsing:)``, ``PageSize/init(parsing:)`` and
/// ``ByteCountParser``; the command line, `mmu apply` batches and imports all read through them.
public enum NotationError: Error, Hashable, Sendable {
    /// Not four positions `rwxu`, each its letter or `-`.
    case protection(String)
    /// A decimal unit (`KB`, `MB`, …) that could mean a power of ten or of two.
    case ambiguousUnit(String)
    /// A negative number where a size, length or address is expected.
    case negative(String)
    /// Not a number (with an optional binary unit).
    case notANumber(String)
    /// A number too large for 64 bits.
    case tooLarge(String)
    /// A byte count that is not a page size (a power of two from 4 KiB to 4 GiB).
    case notAPageSize(String)
    /// Not an address (`0x` hexadecimal or decimal).
    case notAnAddress(String)
}

extension NotationError: CustomStringConvertible {
    /// A sentence naming the text and showing the spelling that works.
    public var description: String {
        switch self {
        case .protection(let text):
            "'\(text)' is not a protection: write four positions rwxu with - for an absent right, e.g. \(Self.suggestion(forProtection: text))"
        case .ambiguousUnit(let text):
            "'\(text)' is ambiguous (\(Self.decimalAndBinary(text))): write \(Self.binarySpellings(text))"
        case .negative(let text):
            "'\(text)' is negative: sizes, lengths and addresses are 0 or more"
        case .notANumber(let text):
            "'\(text)' is not a byte count: write 0x-hexadecimal, decimal, or a number with K, M, G, T (or KiB, MiB, GiB, TiB), e.g. 0x2000, 8192 or 8K"
        case .tooLarge(let text):
            "'\(text)' does not fit in 64 bits"
        case .notAPageSize(let text):
            "'\(text)' is not a page size: write a power of two from 4K to 4G, e.g. 4K, 2M or 1G"
        case .notAnAddress(let text):
            "'\(text)' is not an address: write 0x-hexadecimal (0x400000) or decimal (4194304)"
        }
    }

    /// The positional spelling of the rights a misspelled protection names, or a generic example.
    private static func suggestion(forProtection text: String) -> String {
        let letters = Set(text.filter { "rwxu".contains($0) })
        guard !letters.isEmpty, text.allSatisfy({ "rwxu-".contains($0) }) else {
            return "rw-u for user pages or rw-- for kernel pages"
        }
        let kernel = String("rwx".map { letters.contains($0) ? $0 : "-" })
        return letters.contains("u") ? kernel + "u" : "\(kernel)u for user pages or \(kernel)- for kernel pages"
    }

    /// `4,000 or 4,096 bytes` for `4KB`.
    private static func decimalAndBinary(_ text: String) -> String {
        guard let (number, exponent) = unitNumber(text) else { return "a power of 1000 or of 1024" }
        let decimal = number.multipliedReportingOverflow(by: power(1000, exponent))
        let binary = number.multipliedReportingOverflow(by: power(1024, exponent))
        guard !decimal.overflow, !binary.overflow else { return "a power of 1000 or of 1024" }
        return "\(grouped(decimal.partialValue)) or \(grouped(binary.partialValue)) bytes"
    }

    /// `4KiB or 4K` for `4KB`.
    private static func binarySpellings(_ text: String) -> String {
        let stem = text.uppercased().dropLast()
        return "\(stem)iB or \(stem)"
    }

    private static func unitNumber(_ text: String) -> (UInt64, Int)? {
        let upper = text.uppercased()
        guard upper.hasSuffix("B"), let unit = upper.dropLast().last,
            let exponent = ByteCountParser.units.firstIndex(of: unit), let number = UInt64(upper.dropLast(2))
        else { return nil }
        return (number, exponent + 1)
    }

    private static func power(_ base: UInt64, _ exponent: Int) -> UInt64 {
        (0..<exponent).reduce(1) { product, _ in product &* base }
    }

    /// `4096` as `4,096`.
    private static func grouped(_ number: UInt64) -> String {
        var digits = Array(String(number))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return String(digits)
    }
}
