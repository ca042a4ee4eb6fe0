import GRDB
import MMUCore

/// What the store knows about one translation set, without its entries.
public struct TranslationSetInfo: Hashable, Sendable, Codable {
    /// The set's unique name.
    public var name: String
    /// The format name of the declared target architecture, if any.
    public var architectureName: String?
    /// The generation of the last committed transaction; -1 before the first.
    public var headGeneration: Int64
    /// Generations below this one were compacted away and can no longer be read.
    public var compactedThrough: Int64
    /// When the set was created (ISO 8601, UTC).
    public var createdAt: String
    /// The content digest of the set's own live entries and areas (see ``MMUCore/TranslationSet/contentDigest``).
    public var headDigest: UInt64
    /// The set's rows in the database, live and history.
    public var storedRows: Int
    /// The digest of the set's access bits and page counters (see `Seal`).
    public var stateDigest: UInt64

    /// The declared architecture.
    public var architecture: Architecture? { architectureName.flatMap(Architecture.init(named:)) }

    /// Whether this is the store-wide global set.
    public var isGlobal: Bool { name == TranslationStore.globalSetName }
}

/// A set row with its database id (internal: ids are not part of the API).
struct StoredSet: StoredRow {
    let id: Int64
    let info: TranslationSetInfo

    /// The SELECT list of a set row.
    static let selection = "id, name, architecture, headGeneration, compactedThrough, createdAt, headDigest, storedRows, stateDigest"

    struct Columns {
        let id, name, architecture, headGeneration, compactedThrough, createdAt, headDigest, storedRows, stateDigest: Int32
    }

    static func columns(in statement: CachedStatement) throws(StoreError) -> Columns {
        Columns(
            id: try statement.column("id"), name: try statement.column("name"), architecture: try statement.column("architecture"),
            headGeneration: try statement.column("headGeneration"), compactedThrough: try statement.column("compactedThrough"),
            createdAt: try statement.column("createdAt"), headDigest: try statement.column("headDigest"),
            storedRows: try statement.column("storedRows"), stateDigest: try statement.column("stateDigest"))
    }

    /// Reads a set row, checking its architecture and generations.
    ///
    /// - Throws: ``StoreError`` `invalidData` naming the set.
    init(_ row: CachedStatement, _ columns: Columns) throws(StoreError) {
        id = row.int64(columns.id)
        let name = row.text(columns.name)
        let architecture = row.optionalText(columns.architecture)
        if let architecture, Architecture(named: architecture) == nil {
            throw StoreError(.invalidData, "set '\(name)' declares an unknown architecture '\(architecture)'")
        }
        let head = row.int64(columns.headGeneration), compacted = row.int64(columns.compactedThrough)
        let rows = row.int64(columns.storedRows)
        guard (-1...Self.generationLimit).contains(head), (-1...max(head, 0)).contains(compacted), rows >= 0 else {
            throw StoreError(
                .invalidData, "set '\(name)': head generation \(head), compacted through \(compacted) or \(rows) stored rows "
                    + "is out of range (a head from -1 to \(Self.generationLimit), history starting from -1 to the head, rows from 0)")
        }
        info = TranslationSetInfo(
            name: name, architectureName: architecture, headGeneration: head,
            compactedThrough: compacted, createdAt: row.text(columns.createdAt),
            headDigest: UInt64(bitPattern: row.int64(columns.headDigest)), storedRows: Int(rows),
            stateDigest: UInt64(bitPattern: row.int64(columns.stateDigest)))
    }

    /// The largest generation a set row may hold: far beyond any real history, and low enough
    /// that generation arithmetic (the next generation, a count of generations) never overflows.
    static let generationLimit: Int64 = 1 << 62

    /// The set called `name`, or `nil`.
    static func fetch(_ db: GRDB.Database, named name: String) throws -> StoredSet? {
        let query = try CachedStatement("SELECT \(selection) FROM translationSet WHERE name = ?1", on: db)
        query.reset()
        try query.bind(name, at: 1)
        return try query.first(StoredSet.self)
    }

    /// The set called `name`, or a ``StoreError/Code/notFound`` error.
    static func require(_ db: GRDB.Database, named name: String) throws -> StoredSet {
        guard let found = try fetch(db, named: name) else {
            let names = try String.fetchAll(db, sql: "SELECT name FROM translationSet WHERE id != ?", arguments: [TranslationStore.globalSetID])
            throw StoreError(.notFound, "no translation set named '\(name)'" + NameSuggestion.phrase(for: name, among: names))
        }
        return found
    }

    /// All sets, ordered by name.
    static func all(_ db: GRDB.Database) throws -> [StoredSet] {
        try CachedStatement("SELECT \(selection) FROM translationSet ORDER BY name", on: db).all(StoredSet.self)
    }
}
