import MMUCore

/// An entry as JSON output writes it: the form `mmu import --entries` reads, with every key present.
struct JSONEntry: Encodable {
    let entry: MMUEntry

    init(_ entry: MMUEntry) { self.entry = entry }

    private enum CodingKeys: String, CodingKey { case va, pa, size, protection, global, accessed, dirty, cache }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entry.virtualAddress, forKey: .va)
        try container.encode(entry.physicalAddress, forKey: .pa)
        try container.encode(entry.size, forKey: .size)
        try container.encode(entry.protection, forKey: .protection)
        try container.encode(entry.isGlobal, forKey: .global)
        try container.encode(entry.attributes.contains(.accessed), forKey: .accessed)
        try container.encode(entry.attributes.contains(.dirty), forKey: .dirty)
        try container.encode(entry.cacheMode, forKey: .cache)
    }
}
