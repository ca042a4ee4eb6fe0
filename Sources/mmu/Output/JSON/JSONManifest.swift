import MMUArchitectures

/// `mmu export --json`: the image's manifest, with `tableMappings` and `segments` `null` when the
/// format has none.
struct JSONManifest: Encodable {
    let manifest: ImageManifest

    init(_ manifest: ImageManifest) { self.manifest = manifest }

    private enum CodingKeys: String, CodingKey {
        case format, root, registers, parameters, tablePages, entries, byteOrder, pageSize, tableMappings, segments
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(manifest.format, forKey: .format)
        try container.encode(manifest.root, forKey: .root)
        try container.encode(manifest.registers, forKey: .registers)
        try container.encode(manifest.parameters, forKey: .parameters)
        try container.encode(manifest.tablePages, forKey: .tablePages)
        try container.encode(manifest.entries, forKey: .entries)
        try container.encode(manifest.byteOrder, forKey: .byteOrder)
        try container.encode(manifest.pageSize, forKey: .pageSize)
        try container.encode(manifest.tableMappings, forKey: .tableMappings)
        try container.encode(manifest.segments, forKey: .segments)
    }
}
