import MMUCore

/// The translations a walk of a dump's page tables found, and what it could not store.
public struct DumpWalk: Sendable {
    /// The format walked: `x86_64-4level` or `x86_64-5level` (from CR4.LA57).
    public var format: PageTableFormat
    /// Every present translation the canonical model holds, by ascending address.
    public var entries: [MMUEntry]
    /// The leaf entry word the kernel wrote for each of ``entries`` (same order), every bit as
    /// found: for comparing an export with the kernel's own tables.
    public var leafWords: [UInt64]
    /// The registers the walk used: `cr3`, `cr0`, `cr4`, `efer`, `pat`.
    public var registers: [String: UInt64]
    /// The registers that are not in the dump or the request, so were assumed.
    public var assumedRegisters: [String]
    /// The table pages read (a table shared by several entries counts once per visit).
    public var tablesRead: Int
    /// What the walk met that the stored entries do not show, by kind.
    public var findings: [Finding]

    /// Something the walk met: entries not stored, or stored with bits the model drops.
    public struct Finding: Hashable, Sendable {
        /// What was found.
        public var kind: Kind
        /// How many times.
        public var count: Int
        /// The first few, as text (`0xADDRESS: detail`).
        public var examples: [String]
    }

    /// The kinds of finding, with whether the entries concerned are stored.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// A present entry with reserved bits set (the hardware faults): not stored.
        case reservedBits = "reserved-bits"
        /// A leaf whose memory type (through the PAT) has no canonical cache mode (WP): not stored.
        case memoryType = "memory-type"
        /// A table pointer to a frame the dump does not hold: the subtree is not walked.
        case tableOutsideMemory = "table-outside-memory"
        /// A table reached again at another level (a loop or a self-map): not walked again.
        case tableAtTwoLevels = "table-at-two-levels"
        /// A leaf granting rights the levels above take away: stored with the effective rights;
        /// the leaf's own R/W, U/S or XD bits are not kept.
        case restrictedByUpperLevels = "restricted-by-upper-levels"
        /// A leaf with software-available bits set (9-11, 52-58; Linux keeps soft-dirty, special
        /// and devmap there): stored, those bits are not kept.
        case softwareBits = "software-bits"
        /// A leaf with a non-zero protection key (bits 62:59): stored with the entry's rights,
        /// the key not kept. With CR4.PKE on, PKRU (which no dump records) may take a user page's
        /// rights away; with it off the bits are ignored. Key 0, which every page has unless a
        /// process calls pkey_mprotect, is assumed unrestricted.
        case protectionKey = "protection-key"
        /// A leaf mapping a frame the dump does not hold (device memory): stored.
        case frameOutsideMemory = "frame-outside-memory"

        /// Whether the entries concerned are stored.
        public var isStored: Bool {
            switch self {
            case .reservedBits, .memoryType, .tableOutsideMemory, .tableAtTwoLevels: false
            case .restrictedByUpperLevels, .softwareBits, .protectionKey, .frameOutsideMemory: true
            }
        }

        /// A phrase for people.
        public var summary: String {
            switch self {
            case .reservedBits: "present entries with reserved bits (not stored)"
            case .memoryType: "leaves whose memory type has no cache mode (not stored)"
            case .tableOutsideMemory: "table pointers outside the dump's memory (subtrees not walked)"
            case .tableAtTwoLevels: "tables reached at two levels, a loop or a self-map (not walked again)"
            case .restrictedByUpperLevels: "leaves granting rights the levels above take away (stored with the effective rights)"
            case .softwareBits: "leaves with software bits 9-11 or 52-58 set (stored without them)"
            case .protectionKey: "leaves with a non-zero protection key (stored with the entry's rights; PKRU may take rights away)"
            case .frameOutsideMemory: "leaves mapping frames outside the dump's memory, device memory (stored)"
            }
        }
    }

    /// The number of examples kept per kind.
    public static let exampleLimit = 5
}
