import MMUCore

/// One memory access of a valgrind lackey trace (`--tool=lackey --trace-mem=yes`).
public struct RecordedAccess: Hashable, Sendable {
    /// The first byte accessed.
    public var address: VirtualAddress
    /// How many bytes (lackey prints 1 to 512 for data, the instruction length for fetches).
    public var size: UInt32
    /// The kind of access.
    public var kind: Kind

    /// Creates an access.
    public init(_ kind: Kind, at address: VirtualAddress, size: UInt32) {
        self.kind = kind
        self.address = address
        self.size = size
    }

    /// The kind of an access, as lackey's first column spells it.
    public enum Kind: String, CaseIterable, Hashable, Sendable {
        /// `I`: an instruction fetch.
        case instruction = "I"
        /// `L`: a load.
        case load = "L"
        /// `S`: a store.
        case store = "S"
        /// `M`: a modify, a load then a store to the same bytes.
        case modify = "M"

        /// Whether the access writes.
        public var writes: Bool { self == .store || self == .modify }
    }

    /// The 4 KiB pages the access touches: one, or two when it crosses a page boundary (a size
    /// of zero touches the page of its address).
    public var pages: ClosedRange<UInt64> {
        let last = address.rawValue &+ UInt64(max(size, 1) - 1)
        return address.pageNumber...(max(last, address.rawValue) >> PageSize.minimumShift)
    }
}

extension RecordedAccess: CustomStringConvertible {
    /// The lackey form, such as ` S 1fff000758,8`.
    public var description: String {
        let address = String(self.address.rawValue, radix: 16)
        return kind == .instruction ? "I  \(address),\(size)" : " \(kind.rawValue) \(address),\(size)"
    }
}
