extension TranslationSet.Difference {
    /// One changed range of memory areas (VMAs): pages whose covering area was added, removed
    /// or changed, with the whole areas that cover them before and after.
    ///
    /// Rows never overlap and come in address order. A row's ``kinds`` describe its pages:
    /// pages covered before and after by areas that differ get the differences
    /// (``AreaKinds/resized`` when the ranges differ); pages covered on one side only are
    /// ``AreaKinds/added`` or ``AreaKinds/removed`` when that area overlaps no area of the other
    /// side (a new or vanished area), and ``AreaKinds/resized`` when it does (an area that grew,
    /// shrank or moved partly). An area moved to pages it did not overlap is removed and added.
    public struct AreaChange: Hashable, Sendable, Codable {
        /// The pages that changed this way.
        public var range: VirtualRange
        /// What changed.
        public var kinds: AreaKinds
        /// The whole area that covered the range before (`nil` when the pages were in no area, or
        /// in an area that grew over them).
        public var old: MemoryArea?
        /// The whole area that covers the range after (`nil` when the pages are in no area, or
        /// were left by an area that shrank).
        public var new: MemoryArea?

        /// Creates an area change.
        public init(range: VirtualRange, kinds: AreaKinds, old: MemoryArea?, new: MemoryArea?) {
            self.range = range
            self.kinds = kinds
            self.old = old
            self.new = new
        }
    }

    /// The ways the areas covering a range can change.
    public struct AreaKinds: OptionSet, Hashable, Sendable, Codable {
        /// The bits.
        public let rawValue: UInt8
        /// Creates kinds from their bits.
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// In a new area that overlaps no area before.
        public static let added = AreaKinds(rawValue: 1)
        /// In an area before that overlaps no area after.
        public static let removed = AreaKinds(rawValue: 2)
        /// In an area whose range changed (grown, shrunk, split, merged or partly moved).
        public static let resized = AreaKinds(rawValue: 4)
        /// In an area with another protection.
        public static let reprotected = AreaKinds(rawValue: 8)
        /// In an area with another name (file path or pseudo name such as `[heap]`).
        public static let renamed = AreaKinds(rawValue: 16)
        /// In an area with another backing kind or shared flag.
        public static let attributes = AreaKinds(rawValue: 32)

        /// Each kind with its name, in report order.
        public static let named: [(AreaKinds, String)] = [
            (.added, "added"), (.removed, "removed"), (.resized, "resized"), (.reprotected, "reprotected"),
            (.renamed, "renamed"), (.attributes, "attributes"),
        ]

        /// The names of the kinds present, such as `["resized", "reprotected"]`.
        public var names: [String] { Self.named.filter { contains($0.0) }.map(\.1) }
    }
}
