import MMUCore

/// Conversions between stored rows and canonical values, validating everything read back
/// (a damaged or hand-edited file must give an error, never a wrong entry or a crash).
enum EntryRow {
    /// The SELECT list every entry query uses, in the order ``decode(_:setName:global:)`` reads.
    static let columns = "e.vpn, e.pfn, e.pageShift, e.protection, e.cacheMode"

    /// Decodes the current row of `statement` (columns as ``columns``, optionally followed by
    /// accessed and dirty flags in columns 5 and 6).
    static func decode(_ statement: SQLiteStatement, setName: String, global: Bool, accessState: Bool) throws(StoreError) -> MMUEntry {
        let vpn = statement.int64(0), pfn = statement.int64(1), shift = statement.int64(2)
        let protection = statement.int64(3), cache = statement.int64(4)
        guard let size = PageSize(shift: Int(shift)) else {
            throw invalid(setName, vpn, "page shift \(shift) is not between 12 and 32")
        }
        guard vpn >= 0, UInt64(vpn) < VirtualRange.pageLimit, pfn >= 0, UInt64(pfn) < VirtualRange.pageLimit else {
            throw invalid(setName, vpn, "page or frame number \(pfn) is out of range")
        }
        guard UInt64(vpn) % size.pageCount == 0, UInt64(pfn) % size.pageCount == 0,
            UInt64(vpn) + size.pageCount <= VirtualRange.pageLimit
        else {
            throw invalid(setName, vpn, "page or frame is not aligned to \(size)")
        }
        guard (0...15).contains(protection), let cacheMode = CacheMode(storedValue: Int(cache)) else {
            throw invalid(setName, vpn, "protection \(protection) or cache mode \(cache) is not valid")
        }
        var attributes: MMUEntry.Attributes = global ? .global : []
        if accessState {
            if statement.int64(5) != 0 { attributes.insert(.accessed) }
            if statement.int64(6) != 0 { attributes.insert(.dirty) }
        }
        return MMUEntry(
            VirtualAddress(pageNumber: UInt64(vpn)), to: PhysicalAddress(frameNumber: UInt64(pfn)), size: size,
            protection: Protection(rawValue: UInt8(protection)), attributes: attributes, cacheMode: cacheMode)
    }

    static func invalid(_ setName: String, _ vpn: Int64, _ reason: String) -> StoreError {
        StoreError(.invalidData, "set '\(setName)', entry at page 0x\(String(vpn, radix: 16)): \(reason)")
    }

    /// Decodes the current row of an area query (`vpn, pageCount, protection, kind, isShared, name`).
    static func decodeArea(_ statement: SQLiteStatement, setName: String) throws(StoreError) -> MemoryArea {
        let vpn = statement.int64(0), pages = statement.int64(1), protection = statement.int64(2)
        guard vpn >= 0, UInt64(vpn) < VirtualRange.pageLimit, pages > 0, UInt64(pages) <= VirtualRange.pageLimit - UInt64(vpn), (0...15).contains(protection),
            let kind = MemoryArea.Kind(rawValue: statement.text(3))
        else {
            throw invalid(setName, vpn, "memory area of \(pages) pages, protection \(protection), kind '\(statement.text(3))' is not valid")
        }
        return MemoryArea(
            range: VirtualRange(pages: UInt64(vpn)..<(UInt64(vpn) + UInt64(pages))),
            protection: Protection(rawValue: UInt8(protection)), kind: kind, isShared: statement.int64(4) != 0,
            name: statement.text(5))
    }
}
