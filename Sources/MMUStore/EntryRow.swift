import MMUCore

/// An `mmuEntry` row as stored (optionally with its set, its generations, and the access bits
/// of the head joined from `entryState`), and its conversion to a canonical entry, validating
/// everything read back (a damaged or hand-edited file must give an error, never a wrong entry
/// or a crash).
struct EntryRow: StoredRow {
    /// The SELECT list every entry query starts with (the table aliased `e`).
    static let selection = "e.vpn AS vpn, e.pfn AS pfn, e.pageShift AS pageShift, e.protection AS protection, e.cacheMode AS cacheMode"
    /// The SELECT list of the head's access bits, from `entryState` aliased `s` (left-joined).
    static let accessSelection = "coalesce(s.accessed, 0) AS accessed, coalesce(s.dirty, 0) AS dirty"

    var page: Int64
    var frame: Int64
    var pageShift: Int64
    var protection: Int64
    var cacheMode: Int64
    /// The access bits; `false` when the query does not select them.
    var accessed: Bool
    var dirty: Bool
    /// The set id, when the query selects `setId`.
    var setID: Int64?
    /// The generation the row was born at, when the query selects `born`.
    var born: Int64?
    /// The generation the row died at: `nil` while it lives (or when the query does not select `died`).
    var died: Int64?

    struct Columns {
        let page, frame, pageShift, protection, cacheMode: Int32
        let accessed, dirty, setID, born, died: Int32?
    }

    static func columns(in statement: CachedStatement) throws(StoreError) -> Columns {
        Columns(
            page: try statement.column("vpn"), frame: try statement.column("pfn"), pageShift: try statement.column("pageShift"),
            protection: try statement.column("protection"), cacheMode: try statement.column("cacheMode"),
            accessed: statement.optionalColumn("accessed"), dirty: statement.optionalColumn("dirty"),
            setID: statement.optionalColumn("setId"), born: statement.optionalColumn("born"), died: statement.optionalColumn("died"))
    }

    init(_ statement: CachedStatement, _ columns: Columns) {
        page = statement.int64(columns.page)
        frame = statement.int64(columns.frame)
        pageShift = statement.int64(columns.pageShift)
        protection = statement.int64(columns.protection)
        cacheMode = statement.int64(columns.cacheMode)
        accessed = columns.accessed.map { statement.int64($0) != 0 } ?? false
        dirty = columns.dirty.map { statement.int64($0) != 0 } ?? false
        setID = columns.setID.map(statement.int64)
        born = columns.born.map(statement.int64)
        died = columns.died.flatMap(statement.optionalInt64)
    }

    /// The entry this row holds, in set `setName` (global entries carry the global attribute).
    ///
    /// - Throws: ``StoreError`` `invalidData` naming the set and page when a field is out of range.
    func entry(inSet setName: String, global: Bool) throws(StoreError) -> MMUEntry {
        guard let size = PageSize(shift: Int(pageShift)) else {
            throw Self.invalid(setName, page, "page shift \(pageShift) is not between 12 and 32")
        }
        guard page >= 0, UInt64(page) < VirtualRange.pageLimit, frame >= 0, UInt64(frame) < VirtualRange.pageLimit else {
            throw Self.invalid(setName, page, "page or frame number \(frame) is out of range")
        }
        guard UInt64(page) % size.pageCount == 0, UInt64(frame) % size.pageCount == 0,
            UInt64(page) + size.pageCount <= VirtualRange.pageLimit
        else {
            throw Self.invalid(setName, page, "page or frame is not aligned to \(size)")
        }
        guard (0...15).contains(protection), let mode = CacheMode(storedValue: Int(cacheMode)) else {
            throw Self.invalid(setName, page, "protection \(protection) or cache mode \(cacheMode) is not valid")
        }
        var attributes: MMUEntry.Attributes = global ? .global : []
        if accessed { attributes.insert(.accessed) }
        if dirty { attributes.insert(.dirty) }
        return MMUEntry(
            VirtualAddress(pageNumber: UInt64(page)), to: PhysicalAddress(frameNumber: UInt64(frame)), size: size,
            protection: Protection(rawValue: UInt8(protection)), attributes: attributes, cacheMode: mode)
    }

    /// The error of a row of set `setName` at page `vpn` that is not valid, for `reason`.
    static func invalid(_ setName: String, _ vpn: Int64, _ reason: String) -> StoreError {
        StoreError(.invalidData, "set '\(setName)', entry at page 0x\(String(vpn, radix: 16)): \(reason)")
    }
}
