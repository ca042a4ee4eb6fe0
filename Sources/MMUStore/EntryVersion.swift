import MMUCore

/// One stored version of an entry: the entry and the generations it was visible in.
///
/// A row is visible at generation *g* when `born <= g` and (`died == nil` or `g < died`).
/// Accessed and dirty bits are unversioned, so the entry's attributes carry at most `global`.
public struct EntryVersion: Hashable, Sendable {
    /// The entry as this version holds it.
    public var entry: MMUEntry
    /// The generation whose transaction created this version.
    public var born: Int64
    /// The generation whose transaction replaced or removed it; `nil` while it is live.
    public var died: Int64?

    /// A version of `entry` visible from `born` until `died` (exclusive).
    public init(entry: MMUEntry, born: Int64, died: Int64?) {
        self.entry = entry
        self.born = born
        self.died = died
    }

    /// Whether this version is visible at `generation`.
    public func isVisible(at generation: Int64) -> Bool {
        born <= generation && died.map { generation < $0 } ?? true
    }
}
