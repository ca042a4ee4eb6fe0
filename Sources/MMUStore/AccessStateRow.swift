/// An `entryState` (or `snapshotEntryState`) row: the accessed and dirty bits of a live entry.
struct AccessStateRow: StoredRow {
    var page: Int64
    var accessed: Bool
    var dirty: Bool

    struct Columns {
        let page, accessed, dirty: Int32
    }

    static func columns(in statement: CachedStatement) throws(StoreError) -> Columns {
        Columns(page: try statement.column("vpn"), accessed: try statement.column("accessed"), dirty: try statement.column("dirty"))
    }

    init(_ statement: CachedStatement, _ columns: Columns) {
        page = statement.int64(columns.page)
        accessed = statement.int64(columns.accessed) != 0
        dirty = statement.int64(columns.dirty) != 0
    }

    /// The row's term of the state digest of set `setID` (see `Seal`).
    func seal(setID: Int64) -> UInt64 {
        Seal.accessState(setID: setID, page: page, accessed: accessed, dirty: dirty)
    }
}
