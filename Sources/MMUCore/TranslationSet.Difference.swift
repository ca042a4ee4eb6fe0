extension TranslationSet {
    /// How one address space differs from another, coalesced into virtual ranges: its entries
    /// and its memory areas (VMAs).
    ///
    /// Computed by walking both sides' sorted entries once, segment by segment (a segment ends
    /// wherever an entry of either side starts or ends), and merging touching segments that
    /// changed the same way; the areas are walked the same way (see ``AreaChange``). Accessed
    /// and dirty bits are not compared: they are unversioned.
    public struct Difference: Hashable, Sendable, Codable {
        /// The entry changes, in address order, never overlapping.
        public var changes: [Change]
        /// The memory area changes, in address order, never overlapping.
        public var areaChanges: [AreaChange]

        /// Creates a difference from its entry and area changes.
        public init(changes: [Change], areaChanges: [AreaChange] = []) {
            self.changes = changes
            self.areaChanges = areaChanges
        }

        /// Whether the two sides are the same: no entry and no area changed.
        public var isEmpty: Bool { changes.isEmpty && areaChanges.isEmpty }

        /// One changed range.
        public struct Change: Hashable, Sendable, Codable {
            /// The pages that changed this way.
            public var range: VirtualRange
            /// What changed.
            public var kinds: Kinds
            /// The entry that mapped the start of the range before (`nil` when added).
            public var old: MMUEntry?
            /// The entry that maps the start of the range after (`nil` when removed).
            public var new: MMUEntry?

            /// Creates a change.
            public init(range: VirtualRange, kinds: Kinds, old: MMUEntry?, new: MMUEntry?) {
                self.range = range
                self.kinds = kinds
                self.old = old
                self.new = new
            }
        }

        /// The ways a range can change.
        public struct Kinds: OptionSet, Hashable, Sendable, Codable {
            /// The bits.
            public let rawValue: UInt8
            /// Creates kinds from their bits.
            public init(rawValue: UInt8) { self.rawValue = rawValue }

            /// Mapped after, not before.
            public static let added = Kinds(rawValue: 1)
            /// Mapped before, not after.
            public static let removed = Kinds(rawValue: 2)
            /// Mapped to other frames.
            public static let remapped = Kinds(rawValue: 4)
            /// Mapped with another protection.
            public static let reprotected = Kinds(rawValue: 8)
            /// Mapped by pages of another size.
            public static let resized = Kinds(rawValue: 16)
            /// Another global bit or cache mode.
            public static let attributes = Kinds(rawValue: 32)

            /// Each kind with its name, in report order.
            public static let named: [(Kinds, String)] = [
                (.added, "added"), (.removed, "removed"), (.remapped, "remapped"), (.reprotected, "reprotected"),
                (.resized, "resized"), (.attributes, "attributes"),
            ]

            /// The names of the kinds present, such as `["remapped", "resized"]`.
            public var names: [String] { Self.named.filter { contains($0.0) }.map(\.1) }
        }

        /// Counts and bytes per kind, for entries and for areas.
        public struct Summary: Hashable, Sendable, Codable {
            /// The number of changed entry ranges per kind name.
            public var ranges: [String: Int] = [:]
            /// The bytes per entry change kind name.
            public var bytes: [String: UInt64] = [:]
            /// The number of changed entry ranges.
            public var totalRanges = 0
            /// The bytes in changed entry ranges.
            public var totalBytes: UInt64 = 0
            /// The number of changed area ranges per area kind name.
            public var areaRanges: [String: Int] = [:]
            /// The bytes per area change kind name.
            public var areaBytes: [String: UInt64] = [:]
            /// The number of changed area ranges.
            public var totalAreaRanges = 0
            /// The bytes in changed area ranges.
            public var totalAreaBytes: UInt64 = 0
        }

        /// Counts and bytes per kind, for entries and for areas.
        public var summary: Summary {
            var summary = Summary()
            for change in changes {
                summary.totalRanges += 1
                summary.totalBytes += change.range.byteCount
                for name in change.kinds.names {
                    summary.ranges[name, default: 0] += 1
                    summary.bytes[name, default: 0] += change.range.byteCount
                }
            }
            for change in areaChanges {
                summary.totalAreaRanges += 1
                summary.totalAreaBytes += change.range.byteCount
                for name in change.kinds.names {
                    summary.areaRanges[name, default: 0] += 1
                    summary.areaBytes[name, default: 0] += change.range.byteCount
                }
            }
            return summary
        }

        /// The difference between two sorted, disjoint entry lists and two sorted, disjoint area lists.
        ///
        /// The lists may hold only the entries and areas that changed (as the store's generation
        /// indexes give them): pages neither list covers are taken as unchanged.
        ///
        /// - Complexity: O(*n* + *m*) for *n* and *m* entries and areas.
        public init(
            from old: [MMUEntry], to new: [MMUEntry], areasFrom oldAreas: [MemoryArea] = [], to newAreas: [MemoryArea] = [],
            ignoringFrames: Bool = false
        ) {
            var changes: [Change] = []
            Self.forEachSegment(old, new, range: \.range) { segment in
                let leftCovers = segment.old.map { old[$0] }, rightCovers = segment.new.map { new[$0] }
                let (start, end) = (segment.pages.lowerBound, segment.pages.upperBound)
                let kinds = Self.kinds(leftCovers, rightCovers, at: start, ignoringFrames: ignoringFrames)
                guard !kinds.isEmpty else { return }
                if let last = changes.last, last.range.upperPage == start, last.kinds == kinds,
                    Self.sameShape(last.old, leftCovers), Self.sameShape(last.new, rightCovers)
                {
                    changes[changes.count - 1].range = VirtualRange(pages: last.range.lowerPage..<end)
                } else {
                    changes.append(
                        Change(range: VirtualRange(pages: segment.pages), kinds: kinds, old: leftCovers?.withoutAccessState, new: rightCovers?.withoutAccessState))
                }
            }
            self.changes = changes
            self.areaChanges = Self.areaChanges(from: oldAreas, to: newAreas)
        }

        static func kinds(_ old: MMUEntry?, _ new: MMUEntry?, at page: UInt64, ignoringFrames: Bool) -> Kinds {
            switch (old, new) {
            case (nil, nil): return []
            case (nil, _): return .added
            case (_, nil): return .removed
            case (let old?, let new?):
                var kinds: Kinds = []
                let address = VirtualAddress(pageNumber: page)
                if !ignoringFrames, old.translate(address) != new.translate(address) { kinds.insert(.remapped) }
                if old.protection != new.protection { kinds.insert(.reprotected) }
                if old.size != new.size { kinds.insert(.resized) }
                if old.isGlobal != new.isGlobal || old.cacheMode != new.cacheMode { kinds.insert(.attributes) }
                return kinds
            }
        }

        static func sameShape(_ first: MMUEntry?, _ second: MMUEntry?) -> Bool {
            switch (first, second) {
            case (nil, nil): return true
            case (let first?, let second?):
                return first.size == second.size && first.protection == second.protection
                    && first.isGlobal == second.isGlobal && first.cacheMode == second.cacheMode
            default: return false
            }
        }
    }

    /// How this set differs from `baseline`: what changed going from `baseline` to `self`, in
    /// entries and in memory areas.
    ///
    /// - Parameters:
    ///   - ignoringFrames: Compare layouts only (two runs rarely allocate the same frames).
    ///   - ignoringAreas: Compare entries only; the difference then has no area changes.
    /// - Complexity: O(*n* + *m*).
    public func difference(from baseline: TranslationSet, ignoringFrames: Bool = false, ignoringAreas: Bool = false) -> Difference {
        Difference(
            from: baseline.entries, to: entries, areasFrom: ignoringAreas ? [] : baseline.areas, to: ignoringAreas ? [] : areas,
            ignoringFrames: ignoringFrames)
    }
}

extension MMUEntry {
    /// The entry without its unversioned accessed and dirty bits.
    public var withoutAccessState: MMUEntry {
        var copy = self
        copy.attributes.subtract(.accessState)
        return copy
    }
}
