/// Named translation sets that share one global set, as a value: the in-memory counterpart of
/// a store.
///
/// Global entries (``MMUEntry/Attributes/global``) are kept once, in the collection's global
/// set, and appear in every set's view; a global entry may not overlap an entry private to
/// another set. ``update(set:_:)`` runs the same transaction engine as `TranslationStore`'s
/// `update(set:label:_:)`, so ``TranslationSet/Transaction/copy(_:fromSetNamed:replacing:largePages:)``,
/// ``TranslationSet/Transaction/makeGlobal(_:largePages:)`` and duplication behave exactly as
/// they do in a store.
public struct TranslationSetCollection: Hashable, Sendable {
    /// Each set with its private entries only, by name.
    private var members: [String: TranslationSet] = [:]
    /// The entries every set sees, sorted by virtual address.
    public private(set) var globalEntries: [MMUEntry] = []

    /// Creates a collection with no sets and no global entries.
    public init() {}

    /// The names of the sets, sorted.
    public var names: [String] { members.keys.sorted() }

    /// Creates an empty set.
    ///
    /// - Parameters:
    ///   - architecture: The target architecture; every transaction on the set is then checked
    ///     against it.
    /// - Throws: ``MappingError/setExists(_:)``.
    public mutating func createSet(named name: String, architecture: Architecture? = nil) throws(MappingError) {
        guard members[name] == nil else { throw .setExists(name) }
        members[name] = TranslationSet(architecture: architecture)
    }

    /// Duplicates a set into a new one (a fork): its private entries with their accessed and
    /// dirty bits, its areas and its architecture; not its page counters. Global entries are
    /// shared, not copied.
    ///
    /// - Complexity: O(*n*) for *n* private entries.
    /// - Throws: ``MappingError/unknownSet(_:)`` or ``MappingError/setExists(_:)``.
    public mutating func duplicateSet(named name: String, as newName: String) throws(MappingError) {
        guard let source = members[name] else { throw .unknownSet(name) }
        guard members[newName] == nil else { throw .setExists(newName) }
        members[newName] = TranslationSet(
            validatedEntries: source.entries, architecture: source.architecture, areas: source.areas)
    }

    /// Renames a set.
    ///
    /// - Throws: ``MappingError/unknownSet(_:)`` or ``MappingError/setExists(_:)``.
    public mutating func renameSet(named name: String, to newName: String) throws(MappingError) {
        guard let member = members[name] else { throw .unknownSet(name) }
        guard members[newName] == nil else { throw .setExists(newName) }
        members[name] = nil
        members[newName] = member
    }

    /// Deletes a set; the global entries stay.
    ///
    /// - Throws: ``MappingError/unknownSet(_:)``.
    public mutating func deleteSet(named name: String) throws(MappingError) {
        guard members.removeValue(forKey: name) != nil else { throw .unknownSet(name) }
    }

    /// The view of a set: its private entries and the global ones, with its page counters and
    /// areas.
    ///
    /// - Complexity: O(*n* log *n*) for *n* entries in the view.
    /// - Throws: ``MappingError/unknownSet(_:)``.
    public func set(named name: String) throws(MappingError) -> TranslationSet {
        guard let member = members[name] else { throw .unknownSet(name) }
        let merged = globalEntries.isEmpty
            ? member.entries : (member.entries + globalEntries).sorted { $0.pageNumber < $1.pageNumber }
        return TranslationSet(
            validatedEntries: merged, architecture: member.architecture, pageActivity: member.pageActivity,
            areas: member.areas)
    }

    /// Runs a transaction on the set `name`: every operation of `body` applies, or none does.
    ///
    /// The transaction sees the global entries, writes global entries to the global set, and
    /// reads the other sets for copies and global conflicts.
    ///
    /// - Returns: What changed, including the stale ranges.
    /// - Throws: ``MappingError/unknownSet(_:)``, or whatever `body` throws (typically
    ///   ``MappingError``); the collection is then unchanged.
    @discardableResult
    public mutating func update(set name: String, _ body: (TranslationSet.Transaction) throws -> Void) throws
        -> TransactionSummary
    {
        guard let member = members[name] else { throw MappingError.unknownSet(name) }
        var others = members.mapValues(\.entries)
        others[name] = nil
        let backend = TranslationSet.Storage(member, named: name, global: globalEntries, others: others)
        let transaction = TranslationSet.Transaction(backend: backend)
        try body(transaction)
        members[name] = TranslationSet(
            validatedEntries: backend.entries, architecture: member.architecture, pageActivity: backend.pageActivity,
            areas: backend.areas)
        globalEntries = backend.global ?? globalEntries
        return transaction.summary
    }
}
