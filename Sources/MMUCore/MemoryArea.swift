/// A virtual memory area of a process (a VMA): a range with the protection and backing that
/// the operating system gave it, whether or not its pages are mapped yet.
///
/// Areas are stored beside a set's entries and versioned the same way, so that a simulated
/// process restored from a snapshot gets back its areas as well as its translations.
public struct MemoryArea: Hashable, Sendable, Codable {
    /// The pages of the area.
    public var range: VirtualRange
    /// The protection pages of the area get when they are mapped.
    public var protection: Protection
    /// What backs the area.
    public var kind: Kind
    /// Whether writes are shared with other mappings (`MAP_SHARED`).
    public var isShared: Bool
    /// The file path or a pseudo name such as `[heap]` or `[stack]`; empty when anonymous.
    public var name: String

    /// Creates an area.
    public init(range: VirtualRange, protection: Protection, kind: Kind, isShared: Bool = false, name: String = "") {
        self.range = range
        self.protection = protection
        self.kind = kind
        self.isShared = isShared
        self.name = name
    }

    /// What backs an area.
    public enum Kind: String, CaseIterable, Hashable, Sendable, Codable {
        /// Anonymous memory (`MAP_ANONYMOUS`).
        case anonymous
        /// A mapped file.
        case file
        /// The program break (`brk`).
        case heap
        /// A thread stack.
        case stack
        /// Kernel-provided pages (`[vdso]`, `[vvar]`).
        case special
    }

    /// The same area restricted to `pages`, which must overlap it.
    public func restricted(to pages: Range<UInt64>) -> MemoryArea {
        var copy = self
        copy.range = VirtualRange(pages: max(pages.lowerBound, range.lowerPage)..<min(pages.upperBound, range.upperPage))
        return copy
    }
}
