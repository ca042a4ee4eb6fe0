/// One operation of a transaction as data: what `mmu apply` reads, one JSON object per line.
///
/// JSON forms (addresses as `0x` hex strings or integers, lengths and sizes also as `8K`, `2MiB`, …,
/// protections as `rwxu` letters; `demote` chooses ``LargePagePolicy/demote``):
///
/// ```
/// {"op":"map","va":"0x400000","pa":"0x1000","size":"4KiB","protection":"r-xu","global":false,"cache":"wb","replace":false}
/// {"op":"map","entries":[{"va":"0x400000","pa":"0x1000","protection":"r-xu"}, …]}
/// {"op":"unmap","va":"0x400000","length":"0x2000","demote":true}
/// {"op":"clear","va":"0x400000","length":"0x2000"}
/// {"op":"protect","va":"0x400000","length":"0x1000","protection":"r--u"}
/// {"op":"resize","va":"0x400000","size":"2MiB"}
/// {"op":"global","va":"0xffff800000000000","length":"0x200000"}
/// {"op":"access","va":"0x400000","write":true,"count":3}
/// {"op":"fault","va":"0x400000"}
/// {"op":"copy","from":"proc-1","va":"0x400000","length":"0x10000","replace":false}
/// ```
public enum TransactionOperation: Hashable, Sendable {
    /// ``TranslationSet/Transaction/map(_:replacing:largePages:)``.
    case map(MMUEntry, replacing: Bool, largePages: LargePagePolicy)
    /// ``TranslationSet/Transaction/map(contentsOf:replacing:largePages:)``.
    case mapBatch([MMUEntry], replacing: Bool, largePages: LargePagePolicy)
    /// ``TranslationSet/Transaction/unmap(_:largePages:)``.
    case unmap(VirtualRange, largePages: LargePagePolicy)
    /// ``TranslationSet/Transaction/clear(_:largePages:)``.
    case clear(VirtualRange, largePages: LargePagePolicy)
    /// ``TranslationSet/Transaction/protect(_:_:largePages:)``.
    case protect(VirtualRange, Protection, largePages: LargePagePolicy)
    /// ``TranslationSet/Transaction/resize(_:to:)``.
    case resize(VirtualAddress, to: PageSize)
    /// ``TranslationSet/Transaction/makeGlobal(_:largePages:)``.
    case makeGlobal(VirtualRange, largePages: LargePagePolicy)
    /// ``TranslationSet/Transaction/recordAccess(at:write:count:)``.
    case recordAccess(VirtualAddress, write: Bool, count: UInt64)
    /// ``TranslationSet/Transaction/recordFault(at:count:)``.
    case recordFault(VirtualAddress, count: UInt64)
    /// ``TranslationSet/Transaction/copy(_:fromSetNamed:replacing:largePages:)``.
    case copy(VirtualRange, fromSet: String, replacing: Bool, largePages: LargePagePolicy)

    /// Runs the operation in `transaction`.
    ///
    /// - Throws: What the operation throws.
    public func apply(to transaction: TranslationSet.Transaction) throws {
        switch self {
        case .map(let entry, let replacing, let largePages):
            try transaction.map(entry, replacing: replacing, largePages: largePages)
        case .mapBatch(let entries, let replacing, let largePages):
            try transaction.map(contentsOf: entries, replacing: replacing, largePages: largePages)
        case .unmap(let range, let largePages):
            try transaction.unmap(range, largePages: largePages)
        case .clear(let range, let largePages):
            try transaction.clear(range, largePages: largePages)
        case .protect(let range, let protection, let largePages):
            try transaction.protect(range, protection, largePages: largePages)
        case .resize(let address, let size):
            try transaction.resize(address, to: size)
        case .makeGlobal(let range, let largePages):
            try transaction.makeGlobal(range, largePages: largePages)
        case .recordAccess(let address, let write, let count):
            try transaction.recordAccess(at: address, write: write, count: count)
        case .recordFault(let address, let count):
            try transaction.recordFault(at: address, count: count)
        case .copy(let range, let source, let replacing, let largePages):
            try transaction.copy(range, fromSetNamed: source, replacing: replacing, largePages: largePages)
        }
    }
}

extension TransactionOperation: Codable {
    private enum CodingKeys: String, CodingKey {
        case op, va, length, protection, size, replace, demote, write, count, from, entries
    }

    /// The `op` names of the JSON form.
    public static let names = ["map", "unmap", "clear", "protect", "resize", "global", "access", "fault", "copy"]

    /// Decodes the JSON form described on the type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .op)
        let largePages: LargePagePolicy = try container.decodeIfPresent(Bool.self, forKey: .demote) == true ? .demote : .reject
        let replacing = try container.decodeIfPresent(Bool.self, forKey: .replace) ?? false
        func range() throws -> VirtualRange {
            let start = try container.decode(VirtualAddress.self, forKey: .va)
            let length = try ByteCountParser.decode(from: container.superDecoder(forKey: .length))
            do {
                return try VirtualRange(start: start, byteCount: length)
            } catch {
                throw DecodingError.dataCorruptedError(forKey: .length, in: container, debugDescription: error.description)
            }
        }
        switch name {
        case "map" where container.contains(.entries):
            self = .mapBatch(try container.decode([MMUEntry].self, forKey: .entries), replacing: replacing, largePages: largePages)
        case "map":
            self = .map(try MMUEntry(from: decoder), replacing: replacing, largePages: largePages)
        case "unmap":
            self = .unmap(try range(), largePages: largePages)
        case "clear":
            self = .clear(try range(), largePages: largePages)
        case "protect":
            self = .protect(try range(), try container.decode(Protection.self, forKey: .protection), largePages: largePages)
        case "resize":
            self = .resize(try container.decode(VirtualAddress.self, forKey: .va), to: try container.decode(PageSize.self, forKey: .size))
        case "global":
            self = .makeGlobal(try range(), largePages: largePages)
        case "access":
            self = .recordAccess(
                try container.decode(VirtualAddress.self, forKey: .va),
                write: try container.decodeIfPresent(Bool.self, forKey: .write) ?? false,
                count: try container.decodeIfPresent(UInt64.self, forKey: .count) ?? 1)
        case "fault":
            self = .recordFault(
                try container.decode(VirtualAddress.self, forKey: .va),
                count: try container.decodeIfPresent(UInt64.self, forKey: .count) ?? 1)
        case "copy":
            self = .copy(
                try range(), fromSet: try container.decode(String.self, forKey: .from), replacing: replacing,
                largePages: largePages)
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .op, in: container,
                debugDescription: "unknown op '\(name)' (expected one of \(Self.names.joined(separator: ", ")))")
        }
    }

    /// Encodes the JSON form described on the type.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        func encode(_ range: VirtualRange) throws {
            try container.encode(range.start, forKey: .va)
            try container.encode("0x" + String(range.byteCount, radix: 16), forKey: .length)
        }
        func encode(_ largePages: LargePagePolicy) throws {
            if largePages == .demote { try container.encode(true, forKey: .demote) }
        }
        switch self {
        case .map(let entry, let replacing, let largePages):
            try container.encode("map", forKey: .op)
            try entry.encode(to: encoder)
            if replacing { try container.encode(true, forKey: .replace) }
            try encode(largePages)
        case .mapBatch(let entries, let replacing, let largePages):
            try container.encode("map", forKey: .op)
            try container.encode(entries, forKey: .entries)
            if replacing { try container.encode(true, forKey: .replace) }
            try encode(largePages)
        case .unmap(let range, let largePages), .clear(let range, let largePages), .makeGlobal(let range, let largePages):
            let name = if case .unmap = self { "unmap" } else if case .clear = self { "clear" } else { "global" }
            try container.encode(name, forKey: .op)
            try encode(range)
            try encode(largePages)
        case .protect(let range, let protection, let largePages):
            try container.encode("protect", forKey: .op)
            try encode(range)
            try container.encode(protection, forKey: .protection)
            try encode(largePages)
        case .resize(let address, let size):
            try container.encode("resize", forKey: .op)
            try container.encode(address, forKey: .va)
            try container.encode(size, forKey: .size)
        case .recordAccess(let address, let write, let count):
            try container.encode("access", forKey: .op)
            try container.encode(address, forKey: .va)
            try container.encode(write, forKey: .write)
            try container.encode(count, forKey: .count)
        case .recordFault(let address, let count):
            try container.encode("fault", forKey: .op)
            try container.encode(address, forKey: .va)
            try container.encode(count, forKey: .count)
        case .copy(let range, let source, let replacing, let largePages):
            try container.encode("copy", forKey: .op)
            try container.encode(source, forKey: .from)
            try encode(range)
            if replacing { try container.encode(true, forKey: .replace) }
            try encode(largePages)
        }
    }
}
