import MMUCore

/// What the radix table types of every format share: a radix engine compiled for one codec
/// (``EngineTable`` forwards every operation to it), built or imported through that codec.
protocol RadixHardwareTable: EngineTable where Engine == RadixPageTable<Codec> {
    /// The codec of the format.
    associatedtype Codec: RadixEntryCodec
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
}
