extension SystemCall {
    /// The `mmap` flags that change what the simulation does. Other `MAP_` flags are accepted
    /// and dropped.
    public struct MapFlags: OptionSet, Hashable, Sendable {
        /// The bits (the simulation's own numbering, not the kernel's).
        public let rawValue: UInt16

        /// Creates flags from their bits.
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// `MAP_SHARED` or `MAP_SHARED_VALIDATE`: writes are shared.
        public static let shared = MapFlags(rawValue: 1)
        /// `MAP_FIXED`: map exactly at the address, replacing what is there.
        public static let fixed = MapFlags(rawValue: 2)
        /// `MAP_FIXED_NOREPLACE`: map exactly at the address, fail if anything is there.
        public static let fixedNoReplace = MapFlags(rawValue: 4)
        /// `MAP_ANONYMOUS`: no file.
        public static let anonymous = MapFlags(rawValue: 8)
        /// `MAP_POPULATE`: fault every page in at once.
        public static let populate = MapFlags(rawValue: 16)
        /// `MAP_STACK` or `MAP_GROWSDOWN`: a stack.
        public static let stack = MapFlags(rawValue: 32)

        /// The kernel names of the flags that set a bit, and the names accepted without effect.
        static let names: [String: MapFlags] = [
            "MAP_SHARED": .shared, "MAP_SHARED_VALIDATE": .shared, "MAP_PRIVATE": [], "MAP_FIXED": .fixed,
            "MAP_FIXED_NOREPLACE": .fixedNoReplace, "MAP_ANONYMOUS": .anonymous, "MAP_ANON": .anonymous,
            "MAP_POPULATE": .populate, "MAP_STACK": .stack, "MAP_GROWSDOWN": .stack,
            "MAP_DENYWRITE": [], "MAP_EXECUTABLE": [], "MAP_NORESERVE": [], "MAP_LOCKED": [], "MAP_NONBLOCK": [],
            "MAP_HUGETLB": [], "MAP_SYNC": [], "MAP_UNINITIALIZED": [], "MAP_32BIT": [], "MAP_FILE": [],
            "MAP_DROPPABLE": [],
        ]
    }

    /// The `mremap` flags.
    public struct RemapFlags: OptionSet, Hashable, Sendable {
        /// The bits (the simulation's own numbering).
        public let rawValue: UInt8

        /// Creates flags from their bits.
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// `MREMAP_MAYMOVE`: the mapping may move.
        public static let mayMove = RemapFlags(rawValue: 1)
        /// `MREMAP_FIXED`: move to the given new address.
        public static let fixed = RemapFlags(rawValue: 2)
        /// `MREMAP_DONTUNMAP`: leave the old range mapped (and empty).
        public static let dontUnmap = RemapFlags(rawValue: 4)

        /// The kernel names of the flags.
        static let names: [String: RemapFlags] = [
            "MREMAP_MAYMOVE": .mayMove, "MREMAP_FIXED": .fixed, "MREMAP_DONTUNMAP": .dontUnmap,
        ]
    }
}

extension SystemCall.MapFlags: CustomStringConvertible {
    /// The flags as kernel names joined by `|`.
    public var description: String {
        let parts = [
            (Self.shared, "MAP_SHARED"), (Self.fixed, "MAP_FIXED"), (Self.fixedNoReplace, "MAP_FIXED_NOREPLACE"),
            (Self.anonymous, "MAP_ANONYMOUS"), (Self.populate, "MAP_POPULATE"), (Self.stack, "MAP_STACK"),
        ].filter { contains($0.0) }.map(\.1)
        return parts.isEmpty ? "MAP_PRIVATE" : parts.joined(separator: "|")
    }
}

extension SystemCall.RemapFlags: CustomStringConvertible {
    /// The flags as kernel names joined by `|`, or `0`.
    public var description: String {
        let parts = [(Self.mayMove, "MREMAP_MAYMOVE"), (Self.fixed, "MREMAP_FIXED"), (Self.dontUnmap, "MREMAP_DONTUNMAP")]
            .filter { contains($0.0) }.map(\.1)
        return parts.isEmpty ? "0" : parts.joined(separator: "|")
    }
}
