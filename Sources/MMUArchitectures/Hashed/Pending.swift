import MMUCore
enum PPC64Segment { static let shift: UInt64 = 28 }
enum IA64LongVHPT {
    static func build(format: PageTableFormat, entries: [MMUEntry], options: BuildOptions) throws(PageTableError) -> any HardwarePageTable { throw .hashTableFull(entries: 0, format: "") }
    static func importing(format: PageTableFormat, manifest: ImageManifest, store: FrameStore) throws(ImageError) -> any HardwarePageTable { throw .unknownFormat("") }
}
typealias IA64ShortVHPT = IA64LongVHPT
typealias PPC64HashedPageTable = IA64LongVHPT
