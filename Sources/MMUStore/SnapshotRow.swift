/// A `snapshot` row: the generation a name stands for, what the tool kept with it, and its seal.
struct SnapshotRow: StoredRow {
    var id: Int64
    var setID: Int64
    var name: String
    var generation: Int64
    var globalGeneration: Int64
    var createdAt: String
    var metadata: String?
    /// The digest of the access bits and page counters it kept, or `nil` when it kept none.
    var activityDigest: Int64?
    var seal: UInt64

    struct Columns {
        let id, setID, name, generation, globalGeneration, createdAt, metadata, activityDigest, seal: Int32
    }

    static func columns(in statement: CachedStatement) throws(StoreError) -> Columns {
        Columns(
            id: try statement.column("id"), setID: try statement.column("setId"), name: try statement.column("name"),
            generation: try statement.column("generation"), globalGeneration: try statement.column("globalGeneration"),
            createdAt: try statement.column("createdAt"), metadata: try statement.column("metadata"),
            activityDigest: try statement.column("activityDigest"), seal: try statement.column("seal"))
    }

    init(_ statement: CachedStatement, _ columns: Columns) {
        id = statement.int64(columns.id)
        setID = statement.int64(columns.setID)
        name = statement.text(columns.name)
        generation = statement.int64(columns.generation)
        globalGeneration = statement.int64(columns.globalGeneration)
        createdAt = statement.text(columns.createdAt)
        metadata = statement.optionalText(columns.metadata)
        activityDigest = statement.optionalInt64(columns.activityDigest)
        seal = UInt64(bitPattern: statement.int64(columns.seal))
    }

    /// The seal the row's fields make (see `Seal`), which ``seal`` holds unless the row was
    /// changed after it was written.
    var computedSeal: UInt64 {
        Seal.snapshot(
            setID: setID, name: name, generation: generation, globalGeneration: globalGeneration, createdAt: createdAt,
            metadata: metadata, activityDigest: activityDigest)
    }

    /// The ``Snapshot`` this row records, of set `setName`.
    func snapshot(ofSet setName: String) -> Snapshot {
        Snapshot(
            name: name, setName: setName, generation: generation, globalGeneration: globalGeneration, createdAt: createdAt,
            metadata: metadata, keepsActivity: activityDigest != nil)
    }
}
