/// A `pageActivity` (or `snapshotPageActivity`) row: one page's counters and the generations
/// that first and last touched it.
struct ActivityRow {
    /// The SELECT list of the counter columns.
    static let selection = "vpn, accesses, writes, faults, firstGeneration, lastGeneration"

    var page: Int64
    var accesses: Int64
    var writes: Int64
    var faults: Int64
    var firstGeneration: Int64
    var lastGeneration: Int64

    /// The row's term of the state digest of set `setID` (see `Seal`).
    func seal(setID: Int64) -> UInt64 {
        Seal.activity(
            setID: setID, page: page, accesses: accesses, writes: writes, faults: faults, first: firstGeneration,
            last: lastGeneration)
    }
}

extension ActivityRow: StoredRow {
    struct Columns {
        let page, accesses, writes, faults, firstGeneration, lastGeneration: Int32
    }

    static func columns(in statement: CachedStatement) throws(StoreError) -> Columns {
        Columns(
            page: try statement.column("vpn"), accesses: try statement.column("accesses"), writes: try statement.column("writes"),
            faults: try statement.column("faults"), firstGeneration: try statement.column("firstGeneration"),
            lastGeneration: try statement.column("lastGeneration"))
    }

    init(_ statement: CachedStatement, _ columns: Columns) {
        page = statement.int64(columns.page)
        accesses = statement.int64(columns.accesses)
        writes = statement.int64(columns.writes)
        faults = statement.int64(columns.faults)
        firstGeneration = statement.int64(columns.firstGeneration)
        lastGeneration = statement.int64(columns.lastGeneration)
    }
}
