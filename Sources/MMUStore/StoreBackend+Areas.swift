import MMUCore

/// The memory area rows of the set, versioned as entry rows are.
extension StoreBackend {
    func areas(overlapping range: VirtualRange) throws -> [MemoryArea] {
        let query = try statement("""
            SELECT vpn, pageCount, protection, kind, isShared, name FROM memoryArea
            WHERE setId = ?1 AND vpn < ?3 AND vpn + pageCount > ?2 AND died IS NULL ORDER BY vpn
            """)
        query.bind(set.id, Int64(range.lowerPage), Int64(range.upperPage))
        var result: [MemoryArea] = []
        while try query.step() { result.append(try EntryRow.decodeArea(query, setName: set.info.name)) }
        return result
    }

    func insertAreas(_ areas: [MemoryArea]) throws {
        let insert = try statement("""
            INSERT INTO memoryArea (setId, vpn, born, pageCount, protection, kind, isShared, name)
            VALUES (?1, ?2, ?3, ?4, ?5, ?7, ?6, ?8)
            """)
        for area in areas {
            insert.bind(
                set.id, Int64(area.range.lowerPage), generation, Int64(area.range.pageCount),
                Int64(area.protection.rawValue), area.isShared ? 1 : 0)
            insert.bind(text: area.kind.rawValue, at: 7)
            insert.bind(text: area.name, at: 8)
            try insert.execute()
            digestDeltas[set.id, default: 0] &+= area.contentHash
        }
    }

    func removeAreas(_ areas: [MemoryArea]) throws {
        let deleteNew = try statement("DELETE FROM memoryArea WHERE setId = ?1 AND vpn = ?2 AND born = ?3")
        let markDead = try statement("UPDATE memoryArea SET died = ?3 WHERE setId = ?1 AND vpn = ?2 AND died IS NULL")
        for area in areas {
            deleteNew.bind(set.id, Int64(area.range.lowerPage), generation)
            if try deleteNew.execute() == 0 {
                markDead.bind(set.id, Int64(area.range.lowerPage), generation)
                try markDead.execute()
            }
            digestDeltas[set.id, default: 0] &-= area.contentHash
        }
    }
}
