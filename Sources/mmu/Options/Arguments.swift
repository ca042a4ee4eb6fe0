import ArgumentParser
import MMUArchitectures
import MMUCore
import MMUStore

extension VirtualAddress: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension PhysicalAddress: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension PageSize: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension Protection: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }

    /// The letters (`rw-u`), not the raw bits an option set would show.
    public var defaultValueDescription: String { description }
}

extension CacheMode: ExpressibleByArgument {}

/// A byte count: hexadecimal, decimal, or with a K/M/G unit.
struct ByteCount: ExpressibleByArgument {
    let value: UInt64

    init?(argument: String) {
        if let size = PageSize(argument) {
            value = size.byteCount
        } else if let number = VirtualAddress(argument)?.rawValue {
            value = number
        } else {
            let lowered = argument.lowercased()
            let units: [(String, UInt64)] = [("k", 10), ("m", 20), ("g", 30), ("t", 40)]
            guard let (suffix, shift) = units.first(where: { lowered.hasSuffix($0.0) }),
                let number = UInt64(lowered.dropLast(suffix.count)), number <= UInt64.max >> shift
            else { return nil }
            value = number << shift
        }
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

/// `SET`, `SET@SNAPSHOT` or `SET@GENERATION`, optionally prefixed by `FILE:`.
struct SetReference: ExpressibleByArgument, CustomStringConvertible {
    let file: String?
    let set: String
    let version: TranslationStore.Version

    init?(argument: String) {
        var rest = Substring(argument)
        if let colon = rest.lastIndex(of: ":") {
            file = String(rest[..<colon])
            rest = rest[rest.index(after: colon)...]
        } else {
            file = nil
        }
        let parts = rest.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        guard let name = parts.first, !name.isEmpty else { return nil }
        set = String(name)
        version = TranslationStore.Version(parts.count > 1 ? String(parts[1]) : nil)
    }

    var description: String {
        (file.map { "\($0):" } ?? "") + set + {
            switch version {
            case .head: ""
            case .generation(let generation): "@\(generation)"
            case .snapshot(let name): "@\(name)"
            }
        }()
    }
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
