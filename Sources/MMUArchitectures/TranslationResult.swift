import MMUCore

/// What a hardware walk of a page table gives for one virtual address and access.
public enum TranslationResult: Hashable, Sendable {
    /// The access is allowed: where it goes and what else the translation allows.
    case mapped(Translation)
    /// The walk or the permission check faulted.
    case fault(TranslationFault)

    /// The translation when mapped, else `nil`.
    public var translation: Translation? {
        if case .mapped(let translation) = self { return translation }
        return nil
    }

    /// The fault when faulted, else `nil`.
    public var fault: TranslationFault? {
        if case .fault(let fault) = self { return fault }
        return nil
    }
}

/// A successful translation.
public struct Translation: Hashable, Sendable {
    /// The physical address the virtual address translates to.
    public var physicalAddress: PhysicalAddress
    /// The size of the page that maps it.
    public var size: PageSize
    /// The effective rights of the page after every level's restrictions.
    public var rights: AccessRights
    /// The level the leaf was found at: 0 is the root table (for hashed tables, 0 is the slot
    /// the hardware walker inspects and 1 a software-handled overflow).
    public var level: Int

    /// Creates a translation.
    public init(physicalAddress: PhysicalAddress, size: PageSize, rights: AccessRights, level: Int) {
        self.physicalAddress = physicalAddress
        self.size = size
        self.rights = rights
        self.level = level
    }
}

/// A fault raised by a walk: what kind, and the level where it happened.
public struct TranslationFault: Hashable, Sendable {
    /// Why the walk faulted.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// The address is outside the translated range (x86 #GP, AArch64 level-0 translation
        /// fault, RISC-V page fault, IA-64 unimplemented-address fault).
        case nonCanonical
        /// An entry on the path is not present / invalid, or a hashed lookup found nothing.
        case notPresent
        /// An entry has reserved bits set or an impossible encoding (including a misaligned
        /// RISC-V superpage and an x86 PS bit at the top level).
        case reservedBits
        /// AArch64 access-flag fault (AF = 0) or IA-64 access-bit fault (a = 0).
        case accessFlag
        /// IA-64 dirty-bit fault: a store to a page whose d bit is 0.
        case dirtyBit
        /// The page is mapped but does not allow this access at this privilege.
        case protection
    }

    /// Why the walk faulted.
    public var kind: Kind
    /// The level of the entry that faulted (0 is the root).
    public var level: Int

    /// Creates a fault.
    public init(_ kind: Kind, level: Int) {
        self.kind = kind
        self.level = level
    }
}
