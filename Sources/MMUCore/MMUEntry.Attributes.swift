extension MMUEntry {
    /// The attribute bits of an entry.
    ///
    /// ``global`` is part of the versioned canonical form. ``accessed`` and ``dirty`` are
    /// *unversioned* state, as in hardware: flipping them creates no new generation.
    public struct Attributes: OptionSet, Hashable, Sendable {
        /// The bits: global 1, accessed 2, dirty 4.
        public let rawValue: UInt8

        /// Creates attributes from their bits.
        public init(rawValue: UInt8) { self.rawValue = rawValue & 0x07 }

        /// The entry appears in every translation set (kernel mappings); stored once.
        public static let global = Attributes(rawValue: 1)
        /// The page has been read, written or executed since the bit was last cleared.
        public static let accessed = Attributes(rawValue: 2)
        /// The page has been written since the bit was last cleared.
        public static let dirty = Attributes(rawValue: 4)

        /// The accessed and dirty bits together.
        public static let accessState: Attributes = [.accessed, .dirty]
    }
}

extension MMUEntry.Attributes: CustomStringConvertible {
    /// The set bits as words: `global accessed dirty`.
    public var description: String {
        [(Self.global, "global"), (Self.accessed, "accessed"), (Self.dirty, "dirty")]
            .filter { contains($0.0) }.map(\.1).joined(separator: " ")
    }
}
