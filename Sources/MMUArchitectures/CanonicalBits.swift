import MMUCore

/// The raw bits of MMUCore's option sets, for hot encoding paths (reading `rawValue` avoids a
/// call per static member across the module boundary).
enum CanonicalBits {
    static let read: UInt8 = 1
    static let write: UInt8 = 2
    static let execute: UInt8 = 4
    static let user: UInt8 = 8
    static let global: UInt8 = 1
    static let accessed: UInt8 = 2
    static let dirty: UInt8 = 4
}

extension MMUEntry {
    /// Whether the protection has all of `bits` (``CanonicalBits``).
    @inline(__always)
    func has(_ bits: UInt8) -> Bool { protection.rawValue & bits == bits }

    /// Whether the attributes have all of `bits` (``CanonicalBits``).
    @inline(__always)
    func hasAttribute(_ bits: UInt8) -> Bool { attributes.rawValue & bits == bits }
}
