import MMUCore

/// The memory area rows of the set, versioned as entry rows are.
extension StoreBackend {
    func areas(overlapping range: VirtualRange) throws -> [MemoryArea] {
        let query = try prepared("""
            SELECT \(AreaRow.selection) FROM memoryArea
            WHERE setId = ?1 AND vpn < ?3 AND vpn + pageCount > ?2 AND died IS NULL ORDER BY vpn
            """)
        try query.bind(set.id, Int64(range.lowerPage), Int64(range.upperPage))
        var result: [MemoryArea] = []
        try query.forEach(AreaRow.self) { result.append(try $0.area(inSet: set.info.name)) }
        return result
    }

    func insertAreas(_ areas: [MemoryArea]) throws {
        let insert = try prepared("""
            INSERT INTO memoryArea (setId, vpn, born, pageCount, protection, kind, isShared, name)
            VALUES (?1, ?2, ?3, ?4, ?5, ?7, ?6, ?8)
            """)
        for area in areas {
            try insert.bind(
                set.id, Int64(area.range.lowerPage), generation, Int64(area.range.pageCount),
                Int64(area.protection.rawValue), area.isShared ? 1 : 0)
            try insert.bind(area.kind.rawValue, at: 7)
            try insert.bind(area.name, at: 8)
            try insert.execute()
            digestDeltas[set.id, default: 0] &+= area.contentHash
        }
    }

    func removeAreas(_ areas: [MemoryArea]) throws {
        let deleteNew = try prepared("DELETE FROM memoryArea WHERE setId = ?1 AND vpn = ?2 AND born = ?3")
        let markDead = try prepared("UPDATE memoryArea SET died = ?3 WHERE setId = ?1 AND vpn = ?2 AND died IS NULL")
        for area in areas {
            try deleteNew.bind(set.id, Int64(area.range.lowerPage), generation)
            if try deleteNew.execute() == 0 {
                try markDead.bind(set.id, Int64(area.range.lowerPage), generation)
                try markDead.execute()
            }
            digestDeltas[set.id, default: 0] &-= area.contentHash
        }
    }
}
