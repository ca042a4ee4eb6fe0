/// A `liveSummary` row: how many live entries of one page size and protection a set holds.
struct SummaryRow: StoredRow {
    var setID: Int64
    var pageShift: Int64
    var protection: Int64
    var entries: Int64

    struct Columns {
        let setID, pageShift, protection, entries: Int32
    }

    static func columns(in statement: CachedStatement) throws(StoreError) -> Columns {
        Columns(
            setID: try statement.column("setId"), pageShift: try statement.column("pageShift"),
            protection: try statement.column("protection"), entries: try statement.column("entries"))
    }

    init(_ statement: CachedStatement, _ columns: Columns) {
        setID = statement.int64(columns.setID)
        pageShift = statement.int64(columns.pageShift)
        protection = statement.int64(columns.protection)
        entries = statement.int64(columns.entries)
    }
}
