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
struct StoredSet {
    let id: Int64
    let info: TranslationSetInfo

    static let columns = "id, name, architecture, headGeneration, compactedThrough, createdAt, headDigest, storedRows, stateDigest"

    init(row: SQLiteStatement) throws(StoreError) {
        id = row.int64(0)
        let architecture: String? = row.isNull(2) ? nil : row.text(2)
        if let architecture, Architecture(named: architecture) == nil {
            throw StoreError(.invalidData, "set '\(row.text(1))' declares an unknown architecture '\(architecture)'")
        }
        let head = row.int64(3), compacted = row.int64(4), rows = row.int64(7)
        guard (-1...Self.generationLimit).contains(head), (-1...max(head, 0)).contains(compacted), rows >= 0 else {
            throw StoreError(
                .invalidData, "set '\(row.text(1))': head generation \(head), compacted through \(compacted) or \(rows) stored rows "
                    + "is out of range (a head from -1 to \(Self.generationLimit), history starting from -1 to the head, rows from 0)")
        }
        info = TranslationSetInfo(
            name: row.text(1), architectureName: architecture, headGeneration: head,
            compactedThrough: compacted, createdAt: row.text(5), headDigest: UInt64(bitPattern: row.int64(6)),
            storedRows: Int(rows), stateDigest: UInt64(bitPattern: row.int64(8)))
    }

    /// The largest generation a set row may hold: far beyond any real history, and low enough
    /// that generation arithmetic (the next generation, a count of generations) never overflows.
    static let generationLimit: Int64 = 1 << 62

    /// The set called `name`, or `nil`.
    static func fetch(_ db: GRDB.Database, named name: String) throws -> StoredSet? {
        let query = try SQLiteStatement(db, "SELECT \(columns) FROM translationSet WHERE name = ?1")
        query.bind()
        query.bind(text: name, at: 1)
        return try query.step() ? try StoredSet(row: query) : nil
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
        let query = try SQLiteStatement(db, "SELECT \(columns) FROM translationSet ORDER BY name")
        var result: [StoredSet] = []
        while try query.step() { result.append(try StoredSet(row: query)) }
        return result
    }
}
