import MMUCore

/// The rights a translation grants, for each privilege level and kind of access.
///
/// This is what a hardware walk computes from the encoded bits (after folding in the
/// restrictions of non-leaf entries), and what ``PageTableFormat/rights(for:)`` states a format
/// gives a canonical ``Protection``.
public struct AccessRights: OptionSet, Hashable, Sendable {
    /// The bits: kernel read 1, write 2, execute 4; user read 8, write 16, execute 32.
    public let rawValue: UInt8

    /// Creates rights from their bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x3F }

    /// Kernel loads.
    public static let kernelRead = AccessRights(rawValue: 1)
    /// Kernel stores.
    public static let kernelWrite = AccessRights(rawValue: 2)
    /// Kernel instruction fetches.
    public static let kernelExecute = AccessRights(rawValue: 4)
    /// User loads.
    public static let userRead = AccessRights(rawValue: 8)
    /// User stores.
    public static let userWrite = AccessRights(rawValue: 16)
    /// User instruction fetches.
    public static let userExecute = AccessRights(rawValue: 32)
    /// Every right.
    public static let all = AccessRights(rawValue: 0x3F)

    /// The single right for one access at one privilege.
    public init(_ access: MemoryAccess, _ privilege: PrivilegeLevel) {
        let bit: UInt8 =
            switch access {
            case .read: 1
            case .write: 2
            case .execute: 4
            }
        self.init(rawValue: privilege == .user ? bit << 3 : bit)
    }

    /// Whether `access` at `privilege` is allowed.
    @inline(__always)
    public func allows(_ access: MemoryAccess, _ privilege: PrivilegeLevel) -> Bool {
        // Bit (read 0, write 1, execute 2) + 3 for user: one shift, no table of rights.
        let bit: UInt8 =
            switch access {
            case .read: 0
            case .write: 1
            case .execute: 2
            }
        return (rawValue &>> (privilege == .user ? bit &+ 3 : bit)) & 1 != 0
    }

    /// The rights of one privilege level as read/write/execute letters.
    public func protection(for privilege: PrivilegeLevel) -> Protection {
        let bits = privilege == .user ? rawValue >> 3 : rawValue & 7
        return Protection(rawValue: bits)
    }

    /// Rights from the read/write/execute bits of a protection, for kernel and user separately.
    public init(kernel: Protection, user: Protection) {
        let mask = Protection([.read, .write, .execute]).rawValue
        self.init(rawValue: (kernel.rawValue & mask) | ((user.rawValue & mask) << 3))
    }
}

extension AccessRights: CustomStringConvertible {
    /// `kernel rwx user r-x`.
    public var description: String {
        func letters(_ p: Protection) -> String { String(p.description.prefix(3)) }
        return "kernel \(letters(protection(for: .kernel))) user \(letters(protection(for: .user)))"
    }
}
