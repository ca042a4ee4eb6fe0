extension TranslationSet.Transaction {
    /// Unmaps every page of `range` (the proposal's `mmu_unmap`), which must be fully mapped.
    ///
    /// - Throws: ``MappingError/notMapped(_:)`` naming the first unmapped page,
    ///   ``MappingError/cutsLargePage(_:_:)`` when the range cuts a page and `largePages` is `.reject`.
    public func unmap(_ range: VirtualRange, largePages: LargePagePolicy = .reject) throws {
        try operation(\.unmaps) {
            try rewrite(range, requireMapped: true, largePages: largePages) { _ in nil }
        }
    }

    /// Unmaps whatever is mapped in `range` (the proposal's `clear_range`); holes are fine.
    ///
    /// - Parameters:
    ///   - keepingGlobal: Leave global entries alone (they belong to every set): clear only
    ///     what is private to this set.
    /// - Returns: The number of entries removed or cut.
    /// - Throws: ``MappingError/cutsLargePage(_:_:)`` when the range cuts a page and `largePages` is `.reject`.
    @discardableResult
    public func clear(_ range: VirtualRange, largePages: LargePagePolicy = .reject, keepingGlobal: Bool = false) throws -> Int {
        try operation(\.unmaps) {
            try rewrite(range, requireMapped: false, largePages: largePages) { entry in keepingGlobal && entry.isGlobal ? entry : nil }
        }
    }

    /// Gives every page of `range`, which must be fully mapped, a new protection (`mmu_protect`).
    ///
    /// Pages that already have it are left alone, so a large page only partly in the range is
    /// cut only if its protection really changes.
    ///
    /// - Throws: ``MappingError/notMapped(_:)`` or ``MappingError/cutsLargePage(_:_:)``.
    public func protect(_ range: VirtualRange, _ protection: Protection, largePages: LargePagePolicy = .reject) throws {
        try operation(\.protects) {
            try rewrite(range, requireMapped: true, largePages: largePages) { entry in
                var changed = entry
                changed.protection = protection
                return changed
            }
        }
    }

    /// Makes every entry of `range`, which must be fully mapped, global: stored once and seen
    /// by every set (the proposal's `mmu_make_global`).
    ///
    /// - Throws: ``MappingError/notMapped(_:)``, ``MappingError/cutsLargePage(_:_:)``, or
    ///   ``MappingError/globalConflict(_:set:)`` when another set maps part of the range privately.
    public func makeGlobal(_ range: VirtualRange, largePages: LargePagePolicy = .reject) throws {
        try operation(\.globals) {
            try rewrite(range, requireMapped: true, largePages: largePages) { entry in
                var global = entry
                global.attributes.insert(.global)
                return global
            }
        }
    }
}
