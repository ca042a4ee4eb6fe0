import GRDB
import MMUCore

extension TranslationStore {
    /// The page statistics of a set.
    ///
    /// At the head they come from counters that every transaction keeps current (the
    /// `liveSummary` table behind the `setStatistics` view), so the cost does not grow with the
    /// set; at a snapshot or generation they are counted from the entries of that version.
    ///
    /// - Complexity: O(*k*) at the head for *k* distinct (size, protection) pairs, O(*n*) otherwise.
    /// - Throws: ``StoreError`` `notFound`, `compacted`.
    public func statistics(of name: String, at version: Version = .head) throws(StoreError) -> SetStatistics {
        try read { db in
            let set = try StoredSet.require(db, named: name)
            let view = try resolve(version, of: set, in: db)
            var bySize: [PageSize: (Int, UInt64)] = [:], byProtection: [Protection: (Int, UInt64)] = [:]
            var entries = 0, bytes: UInt64 = 0, globalEntries = 0, globalBytes: UInt64 = 0
            var accessed: Int?, dirty: Int?
            func count(_ size: PageSize, _ protection: Protection, _ number: Int) {
                let amount = UInt64(number) * size.byteCount
                bySize[size, default: (0, 0)].0 += number
                bySize[size, default: (0, 0)].1 += amount
                byProtection[protection, default: (0, 0)].0 += number
                byProtection[protection, default: (0, 0)].1 += amount
                entries += number
                bytes += amount
            }
            if view.isHead {
                // Counted pages stay below the 2^52 of an address space (per set and for the
                // global set), so the byte totals below cannot overflow.
                var pages: [Int64: UInt64] = [:]
                let summary = try CachedStatement("SELECT setId, pageShift, protection, entries FROM liveSummary WHERE setId IN (?1, 1)", on: db)
                try summary.bind(set.id)
                for row in try summary.all(SummaryRow.self) {
                    let setID = row.setID, shift = Int(row.pageShift), protection = Int(row.protection), number = Int(row.entries)
                    guard let size = PageSize(shift: shift), (0...15).contains(protection), number >= 0,
                        UInt64(number) < (VirtualRange.pageLimit - pages[setID, default: 0]) / size.pageCount
                    else {
                        throw StoreError(
                            .invalidData, "liveSummary row of set id \(setID) has page shift \(shift), protection \(protection), "
                                + "\(number) entries: out of range (shifts 12 to 32, protections 0 to 15, fewer pages than an address space)")
                    }
                    pages[setID, default: 0] += UInt64(number) * size.pageCount
                    if setID == Self.globalSetID && set.id != Self.globalSetID {
                        globalEntries += number
                        globalBytes += UInt64(number) * size.byteCount
                    } else {
                        count(size, Protection(rawValue: UInt8(protection)), number)
                    }
                }
                accessed = try Int.fetchOne(db, sql: "SELECT count(*) FROM entryState WHERE setId = ? AND accessed = 1", arguments: [set.id])
                dirty = try Int.fetchOne(db, sql: "SELECT count(*) FROM entryState WHERE setId = ? AND dirty = 1", arguments: [set.id])
            } else {
                let loaded = try Self.load(set, view, includingActivity: false, in: db)
                for entry in loaded.entries {
                    if entry.isGlobal && set.id != Self.globalSetID {
                        globalEntries += 1
                        globalBytes += entry.size.byteCount
                    } else {
                        count(entry.size, entry.protection, 1)
                    }
                }
            }
            return SetStatistics(
                setName: name, version: version.description, generation: view.generation, entries: entries, bytesMapped: bytes,
                bySize: bySize.keys.sorted().map { SetStatistics.SizeCount(size: $0, entries: bySize[$0]?.0 ?? 0, bytes: bySize[$0]?.1 ?? 0) },
                byProtection: byProtection.keys.sorted { $0.rawValue < $1.rawValue }.map {
                    SetStatistics.ProtectionCount(protection: $0, entries: byProtection[$0]?.0 ?? 0, bytes: byProtection[$0]?.1 ?? 0)
                },
                globalEntries: globalEntries, globalBytes: globalBytes, accessed: accessed, dirty: dirty,
                storedRows: set.info.storedRows,
                snapshots: try Int.fetchOne(db, sql: "SELECT count(*) FROM snapshot WHERE setId = ?", arguments: [set.id]) ?? 0,
                transactions: try Int.fetchOne(db, sql: "SELECT count(*) FROM transactionLog WHERE setId = ?", arguments: [set.id]) ?? 0)
        }
    }
}
