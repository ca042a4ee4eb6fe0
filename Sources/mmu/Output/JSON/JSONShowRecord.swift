import MMUCore

/// One line of `mmu show --json`: an entry (`"record":"entry"`) or a memory area (`"record":"area"`).
enum JSONShowRecord: Encodable {
    case entry(MMUEntry)
    case area(MemoryArea)

    private enum CodingKeys: String, CodingKey { case record, start, end, protection, kind, shared, name }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .entry(let entry):
            try container.encode("entry", forKey: .record)
            try JSONEntry(entry).encode(to: encoder)
        case .area(let area):
            let range = JSONRange(area.range)
            try container.encode("area", forKey: .record)
            try container.encode(range.start, forKey: .start)
            try container.encode(range.end, forKey: .end)
            try container.encode(area.protection, forKey: .protection)
            try container.encode(area.kind, forKey: .kind)
            try container.encode(area.isShared, forKey: .shared)
            try container.encode(area.name, forKey: .name)
        }
    }
}
