/// Choices a caller makes when building a hardware table from a translation set.
public struct BuildOptions: Hashable, Sendable {
    /// Split entries the format cannot hold as they are into pages it can hold: a page size it
    /// lacks becomes the largest supported smaller (or, above its largest, equal-sized) pages,
    /// and an IA-64 region or PowerPC segment with mixed sizes is split to its smallest size.
    /// Entries that no split can fix (non-canonical addresses, frames beyond the physical
    /// address width) still fail the build.
    public var splitsUnsupportedPages: Bool

    /// The highest physical address (exclusive) table pages may be placed below. Defaults to
    /// 16 TiB, the largest offset a sparse file on ext4 can hold.
    public var tablePlacementLimit: UInt64

    /// The IA-64 long-format VHPT hash and tag functions (Ski's by default).
    public var vhptHash: VHPTHashFunction

    /// Creates options.
    public init(
        splitsUnsupportedPages: Bool = false, tablePlacementLimit: UInt64 = BuildOptions.ext4SparseLimit,
        vhptHash: VHPTHashFunction = .ski
    ) {
        self.splitsUnsupportedPages = splitsUnsupportedPages
        self.tablePlacementLimit = tablePlacementLimit
        self.vhptHash = vhptHash
    }

    /// 16 TiB: past this offset ext4 cannot extend a file, so no table page may sit there.
    public static let ext4SparseLimit: UInt64 = 1 << 44
}
