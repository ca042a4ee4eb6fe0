import MMUCore

/// What the radix table types of every format share: a radix engine compiled for one codec,
/// to which each ``HardwarePageTable`` operation forwards.
///
/// Each format is its own concrete type (``X86FourLevelPageTable`` and the others) adopting
/// this protocol, so that its witnesses call an engine specialized for its codec: a generic
/// wrapper's witnesses would run the engine's unspecialized code, with a protocol call for
/// every bit of every entry. The wrappers give the engine (a class) value semantics by
/// copying it before a change when it is shared.
protocol RadixHardwareTable: HardwarePageTable {
    /// The codec of the format.
    associatedtype Codec: RadixEntryCodec
    /// The engine.
    var engine: RadixPageTable<Codec> { get set }
    /// A table over an engine.
    init(engine: RadixPageTable<Codec>)
}

extension RadixHardwareTable {
    /// Builds the table for entries sorted by address, disjoint and representable.
    ///
    /// - Throws: ``PageTableError/noFreePhysicalRange(pages:below:)``.
    init(building entries: [MMUEntry], format: PageTableFormat, options: BuildOptions) throws(PageTableError) {
        self.init(engine: try RadixPageTable.build(codec: Codec(), format: format, entries: entries, options: options))
    }

    /// A table over pages read from an image.
    ///
    /// - Throws: ``ImageError`` for any structural problem.
    init(importing manifest: ImageManifest, format: PageTableFormat, store: FrameStore) throws(ImageError) {
        self.init(engine: try RadixPageTable.importing(codec: Codec(), format: format, manifest: manifest, store: store))
    }

    var format: PageTableFormat { engine.format }
    var entryCount: Int { engine.entryCount }
    var footprint: TableFootprint { get throws(ImageError) { engine.footprint } }

    @inline(__always)
    func translate(_ address: VirtualAddress, access: MemoryAccess, privilege: PrivilegeLevel) -> TranslationResult {
        engine.translate(address, access: access, privilege: privilege)
    }

    mutating func apply(removing: [MMUEntry], adding: [MMUEntry]) throws(PageTableError) {
        // Copy-on-write; the engine checks everything before it changes anything.
        if !isKnownUniquelyReferenced(&engine) { engine = engine.copy() }
        try engine.apply(removing: removing, adding: adding)
    }

    func entries() throws(ImageError) -> [MMUEntry] { try engine.entries() }
    func encodedEntries() throws(ImageError) -> [EncodedEntry] { try engine.encodedEntries() }
    func image() -> PageTableImage { engine.image() }
}
