import MMUCore

/// What to walk in a dump, and under which registers.
///
/// Registers left `nil` come from the dump's processor (CR0, CR3, CR4 in QEMU's CPU note) or,
/// when the dump does not record them (EFER and PAT are in no QEMU note; a raw image records
/// nothing), are assumed as ``DumpWalk/assumedRegisters`` lists: CR0 = PE | WP | PG, CR4 = PAE,
/// EFER = LME | LMA | NXE, PAT = the power-on value 0x0007040600070406.
public struct DumpWalkRequest: Hashable, Sendable {
    /// Which half of the address space to walk.
    public enum Half: String, Hashable, Sendable, CaseIterable {
        /// Addresses below the canonical hole (bit 47, or bit 56 with 5-level paging, clear).
        case user
        /// Addresses above the canonical hole.
        case kernel
    }

    /// CR3 (the root); `nil` takes the processor's.
    public var root: UInt64?
    /// The processor whose registers are used (its index among the dump's CPU notes); `nil`
    /// takes the only one, or the one all processors agree on.
    public var processor: Int?
    /// CR0; `nil` takes the processor's or assumes PE | WP | PG.
    public var cr0: UInt64?
    /// CR4; `nil` takes the processor's or assumes PAE (4-level paging).
    public var cr4: UInt64?
    /// IA32_EFER; `nil` assumes LME | LMA | NXE.
    public var efer: UInt64?
    /// IA32_PAT; `nil` assumes the power-on value.
    public var pat: UInt64?
    /// Only this half; `nil` for both.
    public var half: Half?
    /// Only entries overlapping these addresses (inclusive bounds); `nil` for all.
    public var addresses: ClosedRange<UInt64>?
    /// The most translations accepted before the walk stops with an error (bounded memory).
    public var translationLimit: Int
    /// The most table pages read before the walk stops with an error (bounded time: tables
    /// shared at every level could otherwise be walked 512^4 times without a leaf).
    public var tableReadLimit: Int

    /// The default ``translationLimit``: 2^24 translations (about 1.5 GiB of entries in memory).
    public static let defaultTranslationLimit = 1 << 24
    /// The default ``tableReadLimit``: 2^20 table pages (4 GiB read; a Linux guest's tables are
    /// a few hundred pages per process).
    public static let defaultTableReadLimit = 1 << 20

    /// The CR0 assumed when neither the request nor the dump gives one: PE | WP | PG.
    public static let assumedCR0: UInt64 = 1 << 0 | 1 << 16 | 1 << 31
    /// The CR4 assumed for a raw image: PAE (4-level paging).
    public static let assumedCR4: UInt64 = 1 << 5
    /// The EFER assumed: LME | LMA | NXE (64-bit mode with execute-disable).
    public static let assumedEFER: UInt64 = 1 << 8 | 1 << 10 | 1 << 11
    /// The PAT assumed: the processor's power-on value (WB, WT, UC-, UC, WB, WT, UC-, UC).
    /// Linux programs 0x0407050600070106; give it for a Linux guest.
    public static let assumedPAT: UInt64 = 0x0007_0406_0007_0406

    /// Creates a request; every field is optional.
    public init(
        root: UInt64? = nil, processor: Int? = nil, cr0: UInt64? = nil, cr4: UInt64? = nil, efer: UInt64? = nil,
        pat: UInt64? = nil, half: Half? = nil, addresses: ClosedRange<UInt64>? = nil,
        translationLimit: Int = Self.defaultTranslationLimit, tableReadLimit: Int = Self.defaultTableReadLimit
    ) {
        self.root = root
        self.processor = processor
        self.cr0 = cr0
        self.cr4 = cr4
        self.efer = efer
        self.pat = pat
        self.half = half
        self.addresses = addresses
        self.translationLimit = translationLimit
        self.tableReadLimit = tableReadLimit
    }
}
