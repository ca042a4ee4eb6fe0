import GRDB
import MMUCore

extension TranslationStore {
    /// Which state of a set to read: the head, a named snapshot, or any generation.
    public enum Version: Hashable, Sendable, CustomStringConvertible {
        /// The current state, with the current global entries and access bits.
        case head
        /// The state after the transaction that created this generation.
        case generation(Int64)
        /// The generation a snapshot names.
        case snapshot(String)

        /// Parses the text after `@` in `SET@VERSION`: digits name a generation, anything else a
        /// snapshot; `nil` or empty text is the head.
        public init(_ text: String?) {
            guard let text, !text.isEmpty else {
                self = .head
                return
            }
            if let generation = Int64(text), generation >= 0 { self = .generation(generation) } else { self = .snapshot(text) }
        }

        /// `head`, `generation N` or `snapshot 'name'`.
        public var description: String {
            switch self {
            case .head: "head"
            case .generation(let generation): "generation \(generation)"
            case .snapshot(let name): "snapshot '\(name)'"
            }
        }
    }

    /// A version resolved to the generations that make it up.
    struct ResolvedVersion {
        /// The set's own generation (-1: before its first transaction).
        let generation: Int64
        /// The global set's generation the view includes.
        let globalGeneration: Int64
        /// Whether this is the live head (access bits and activity are only known there).
        let isHead: Bool
    }

    /// The global set's head generation.
    func globalHead(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT headGeneration FROM translationSet WHERE id = ?", arguments: [Self.globalSetID]) ?? -1
    }

    /// Resolves `version` of `set`.
    ///
    /// - Throws: ``StoreError`` `notFound` (no such generation or snapshot), `compacted`.
    func resolve(_ version: Version, of set: StoredSet, in db: Database) throws -> ResolvedVersion {
        let isGlobal = set.id == Self.globalSetID
        switch version {
        case .head:
            return ResolvedVersion(generation: set.info.headGeneration, globalGeneration: try globalHead(db), isHead: true)
        case .generation(let generation):
            guard generation >= 0, generation <= set.info.headGeneration else {
                throw StoreError(.notFound, "set '\(set.info.name)' has no generation \(generation) (head is \(set.info.headGeneration))")
            }
            guard generation >= set.info.compactedThrough else {
                throw StoreError(.compacted, "generation \(generation) of set '\(set.info.name)' was compacted away (history starts at \(set.info.compactedThrough))")
            }
            if isGlobal {
                return ResolvedVersion(generation: generation, globalGeneration: generation, isHead: generation == set.info.headGeneration)
            }
            guard let global = try Int64.fetchOne(
                db, sql: "SELECT globalGeneration FROM transactionLog WHERE setId = ? AND generation = ?",
                arguments: [set.id, generation])
            else {
                throw StoreError(.invalidData, "set '\(set.info.name)': the transaction log has no row for generation \(generation)")
            }
            return ResolvedVersion(generation: generation, globalGeneration: global, isHead: false)
        case .snapshot(let name):
            let query = try CachedStatement("SELECT * FROM snapshot WHERE setId = ?1 AND name = ?2", on: db)
            try query.bind(set.id)
            try query.bind(name, at: 2)
            guard let row = try query.first(SnapshotRow.self) else {
                let names = try String.fetchAll(db, sql: "SELECT name FROM snapshot WHERE setId = ?", arguments: [set.id])
                throw StoreError(.notFound, "set '\(set.info.name)' has no snapshot named '\(name)'" + NameSuggestion.phrase(for: name, among: names))
            }
            let generation = row.generation, global = row.globalGeneration
            guard (-1...set.info.headGeneration).contains(generation), (-1...StoredSet.generationLimit).contains(global) else {
                throw StoreError(
                    .invalidData, "snapshot '\(name)' of set '\(set.info.name)' names generation \(generation) (global \(global)), "
                        + "outside -1...\(set.info.headGeneration)")
            }
            return ResolvedVersion(generation: generation, globalGeneration: global, isHead: false)
        }
    }
}
