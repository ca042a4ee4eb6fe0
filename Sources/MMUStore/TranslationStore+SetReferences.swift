import MMUCore

extension TranslationStore {
    /// How the version `new` differs from the version `old`, each read from its own file.
    ///
    /// A reference without `FILE:` reads `defaultPath`, opened for reading only
    /// (``init(readingAt:)``); any other file is another run's, opened through the safe opener
    /// (``openUntrusted(path:sizeLimit:timeout:)``) and never modified. Each file is opened
    /// once. When both sides are the same set of the same file, only the rows that changed
    /// between the two generations are read
    /// (``difference(of:from:to:ignoringFrames:ignoringAreas:)``); otherwise both versions
    /// are read whole and compared.
    ///
    /// - Complexity: O(*k*) for *k* changed rows within one set; O(*n* + *m*) for two versions
    ///   of *n* and *m* entries otherwise.
    /// - Throws: ``StoreError`` for a file that cannot be opened, or a set or version it lacks.
    public static func difference(
        from old: SetReference, to new: SetReference, defaultPath: String, ignoringFrames: Bool = false,
        ignoringAreas: Bool = false
    ) throws(StoreError) -> TranslationSet.Difference {
        let own = absolutePath(defaultPath)
        var opened: [String: TranslationStore] = [:]
        func open(_ reference: SetReference) throws(StoreError) -> (path: String, store: TranslationStore) {
            let path = reference.file.map(absolutePath) ?? own
            if let known = opened[path] { return (path, known) }
            let store = path == own ? try TranslationStore(readingAt: path) : try openUntrusted(path: path)
            opened[path] = store
            return (path, store)
        }
        let before = try open(old), after = try open(new)
        if before.path == after.path, old.set == new.set {
            return try before.store.difference(
                of: old.set, from: old.version, to: new.version, ignoringFrames: ignoringFrames, ignoringAreas: ignoringAreas)
        }
        let oldSet = try before.store.translationSet(named: old.set, at: old.version)
        let newSet = try after.store.translationSet(named: new.set, at: new.version)
        return newSet.difference(from: oldSet, ignoringFrames: ignoringFrames, ignoringAreas: ignoringAreas)
    }
}
