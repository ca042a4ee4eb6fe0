import MMUCore

/// A `memoryArea` row as stored (optionally with its set and generations), and its conversion
/// to a ``MMUCore/MemoryArea``, validating everything read back.
struct AreaRow: StoredRow {
    /// The SELECT list every area query starts with.
    static let selection = "vpn, pageCount, protection, kind, isShared, name"

    var page: Int64
    var pageCount: Int64
    var protection: Int64
    var kind: String
    var isShared: Bool
    var name: String
    /// The set id, when the query selects `setId`.
    var setID: Int64?
    /// The generation the row was born at, when the query selects `born`.
    var born: Int64?
    /// The generation the row died at: `nil` while it lives (or when the query does not select `died`).
    var died: Int64?

    struct Columns {
        let page, pageCount, protection, kind, isShared, name: Int32
        let setID, born, died: Int32?
    }

    static func columns(in statement: CachedStatement) throws(StoreError) -> Columns {
        Columns(
            page: try statement.column("vpn"), pageCount: try statement.column("pageCount"),
            protection: try statement.column("protection"), kind: try statement.column("kind"),
            isShared: try statement.column("isShared"), name: try statement.column("name"),
            setID: statement.optionalColumn("setId"), born: statement.optionalColumn("born"), died: statement.optionalColumn("died"))
    }

    init(_ statement: CachedStatement, _ columns: Columns) {
        page = statement.int64(columns.page)
        pageCount = statement.int64(columns.pageCount)
        protection = statement.int64(columns.protection)
        kind = statement.text(columns.kind)
        isShared = statement.int64(columns.isShared) != 0
        name = statement.text(columns.name)
        setID = columns.setID.map(statement.int64)
        born = columns.born.map(statement.int64)
        died = columns.died.flatMap(statement.optionalInt64)
    }

    /// The area this row holds, in set `setName`.
    ///
    /// - Throws: ``StoreError`` `invalidData` naming the set and page when a field is not valid.
    func area(inSet setName: String) throws(StoreError) -> MemoryArea {
        guard page >= 0, UInt64(page) < VirtualRange.pageLimit, pageCount > 0,
            UInt64(pageCount) <= VirtualRange.pageLimit - UInt64(page), (0...15).contains(protection),
            let kind = MemoryArea.Kind(rawValue: kind)
        else {
            throw EntryRow.invalid(
                setName, page, "memory area of \(pageCount) pages, protection \(protection), kind '\(kind)' is not valid")
        }
        return MemoryArea(
            range: VirtualRange(pages: UInt64(page)..<(UInt64(page) + UInt64(pageCount))),
            protection: Protection(rawValue: UInt8(protection)), kind: kind, isShared: isShared, name: name)
    }
}
