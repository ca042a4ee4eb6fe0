import ArgumentParser
import MMUArchitectures
import MMUCore
import MMUStore

// Protections, page sizes, lengths and addresses are read with `transform:` through MMUCore's
// throwing parsers, so a refused value shows the parser's message (the spelling that works).

extension CacheMode: ExpressibleByArgument {}

/// An address argument as written: its value, and its text for the decimal hint.
struct AddressArgument {
    let value: UInt64
    let text: String

    /// Parses `0x` hexadecimal or decimal (plain digits are decimal).
    ///
    /// - Throws: The ``NotationError`` of the address parser.
    init(parsing text: String) throws(NotationError) {
        value = try VirtualAddress(parsing: text).rawValue
        self.text = text
    }

    var virtual: VirtualAddress { VirtualAddress(value) }
    var physical: PhysicalAddress { PhysicalAddress(value) }

    /// `3000000 was read as decimal 3000000 = 0x2dc6c0; write 0x3000000 for hexadecimal`, when
    /// the text is plain digits that would mean another number as hexadecimal.
    var decimalHint: String? {
        let digits = text.filter { $0 != "_" }
        guard digits.allSatisfy({ ("0"..."9").contains($0) }), let hexadecimal = UInt64(digits, radix: 16), hexadecimal != value
        else { return nil }
        return "\(text) was read as decimal \(text) = \(VirtualAddress(value)); write 0x\(digits) for hexadecimal"
    }

    /// Runs `body`; when an operation is refused (a mapping error), adds the ``decimalHint`` of
    /// each of `addresses` that has one.
    static func hinting<Result>(_ addresses: [AddressArgument?], _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as StoreError where error.code == .mapping {
            throw withHints(error, addresses)
        } catch let error as MappingError {
            throw withHints(error, addresses)
        }
    }

    private static func withHints(_ error: any Error, _ addresses: [AddressArgument?]) -> any Error {
        let hints = addresses.compactMap { $0?.decimalHint }
        guard !hints.isEmpty else { return error }
        return CommandFailure("\(error)\n" + hints.map { "hint: \($0)" }.joined(separator: "\n"))
    }
}

/// An architecture named by its format.
struct ArchitectureArgument: ExpressibleByArgument {
    let architecture: Architecture

    init?(argument: String) {
        guard let architecture = Architecture(named: argument) else { return nil }
        self.architecture = architecture
    }

    static var allValueStrings: [String] { Architecture.all.map(\.name) }
}

/// A page-table format named as `mmu formats` lists it.
struct FormatArgument: ExpressibleByArgument {
    let format: PageTableFormat

    init?(argument: String) {
        guard let format = PageTableFormat(named: argument) else { return nil }
        self.format = format
    }

    static var allValueStrings: [String] { PageTableFormat.all.map(\.name) }
}

extension MemoryAccess: ExpressibleByArgument {}
extension PrivilegeLevel: ExpressibleByArgument {}
