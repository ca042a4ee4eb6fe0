import MMUCore

/// One line of `mmu show --json`: an entry (`"record":"entry"`) or a memory area with what is
/// resident in it (`"record":"area"`).
enum JSONShowRecord: Encodable {
    case entry(MMUEntry)
    case area(TranslationSet.AreaResidency)

    private enum CodingKeys: String, CodingKey {
        case record, start, end, protection, kind, shared, name, residentBytes, residentEntries, accessed, dirty
    }

    /// The entries of one page size resident in an area.
    private struct Resident: Encodable {
        let size: PageSize
        let entries: Int
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .entry(let entry):
            try container.encode("entry", forKey: .record)
            try JSONEntry(entry).encode(to: encoder)
        case .area(let residency):
            let area = residency.area
            let range = JSONRange(area.range)
            try container.encode("area", forKey: .record)
            try container.encode(range.start, forKey: .start)
            try container.encode(range.end, forKey: .end)
            try container.encode(area.protection, forKey: .protection)
            try container.encode(area.kind, forKey: .kind)
            try container.encode(area.isShared, forKey: .shared)
            try container.encode(area.name, forKey: .name)
            try container.encode(residency.residentBytes, forKey: .residentBytes)
            try container.encode(
                residency.entriesBySize.sorted { $0.key < $1.key }.map { Resident(size: $0.key, entries: $0.value) }, forKey: .residentEntries)
            try container.encode(residency.accessed, forKey: .accessed)
            try container.encode(residency.dirty, forKey: .dirty)
        }
    }
}
