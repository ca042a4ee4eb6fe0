import Foundation
import MMUArchitectures
import MMUCore
import MMUTestSupport
import Testing

/// A random set of a hashed format exported into a temporary directory, and ways to damage it.
struct ExportedImage {
    let format: PageTableFormat
    let set: TranslationSet
    let table: any HardwarePageTable
    let directory: URL
    let manifest: ImageManifest

    init(_ name: String, seed: UInt64) throws {
        format = try #require(PageTableFormat(named: name))
        var random = RandomEntries(seed: seed, architecture: format.architecture)
        switch name {
        case "ia64-vhpt-short": set = Self.regionSizedSet(format, seed: seed)
        case "ppc64-hpt":
            set = TranslationSet(
                validatedEntries: (Fixtures.randomSet(format, seed: seed, count: 2000, random: &random).entries + Self.collidingPages)
                    .sorted { $0.virtualAddress < $1.virtualAddress },
                architecture: nil)
        default: set = Fixtures.randomSet(format, seed: seed, count: 2000, random: &random)
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-hashed-\(name)-\(UUID())")
        table = try format.makeTable(for: set)
        try table.image().write(to: directory)
        manifest = try JSONDecoder().decode(ImageManifest.self, from: Data(contentsOf: directory.appendingPathComponent(PageTableImage.manifestName)))
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// 24 pages of 4 KiB, 8 MiB apart in one segment the random sets do not use: their page
    /// indexes agree in the low 11 bits, so they hash to one PTEG of a 2^11-PTEG table (or two
    /// of a larger one) and fill its primary group into the secondary.
    static let collidingPages: [MMUEntry] = (0..<24).map { index in
        MMUEntry(
            VirtualAddress(0x2000_0000_0000 + UInt64(index) << 23), to: PhysicalAddress(0x7000_0000 + UInt64(index) << 16),
            protection: Protection(rawValue: UInt8(index % 16)))
    }

    /// A short-format set with a page size of its own in each region (the format's rule), the
    /// sizes mixed across regions: drawing sizes freely and keeping each region's first leaves
    /// a few dozen large pages.
    static func regionSizedSet(_ format: PageTableFormat, seed: UInt64) -> TranslationSet {
        let sizes = format.pageSizes
        var entries: [MMUEntry] = []
        for region in 0..<8 {
            let size = sizes[Int((seed &+ UInt64(region)) % 6)]
            var random = RandomEntries(seed: seed &* 8 &+ UInt64(region), architecture: format.architecture, sizes: [size])
            let drawn = random.set(count: 2400, physicalBits: format.physicalBits)
            entries += drawn.entries.filter { $0.virtualAddress.rawValue >> 61 == UInt64(region) }
        }
        return Fixtures.representable(format, TranslationSet(validatedEntries: entries, architecture: nil))
    }

    /// An entry of the clean image, as the decoder places it (the one in the middle of the list).
    func victim() throws -> HashedDecoderRun.Entry {
        let run = try HashedDecoderRun(directory: directory)
        try #require(run.failures(expected: set, format: format).isEmpty, "the clean image must pass before a fault is planted")
        return run.entries.sorted { $0.virtualAddress < $1.virtualAddress }[run.entries.count / 2]
    }

    /// A free place for `victim` where the hardware would not look for it: an empty hash slot
    /// (ti = 1, no chain) other than its own (IA-64 long); another empty PTE slot of the same
    /// linear-table page (IA-64 short); a free HPTE of a PTEG that is neither its primary nor its
    /// secondary group (PowerPC).
    func wrongBucket(for victim: HashedDecoderRun.Entry) throws -> UInt64 {
        func root(_ name: String) throws -> UInt64 { try #require(manifest.root[name].flatMap { UInt64($0.dropFirst(2), radix: 16) }) }
        switch format.name {
        case "ia64-vhpt-long":
            let base = try #require(manifest.parameters["vhptPhysicalBase"].flatMap { UInt64($0.dropFirst(2), radix: 16) })
            let slots = UInt64(1) << ((try root("pta") >> 2 & 0x3F) - 5)
            for index in 0..<slots {
                let slot = base + index * 32
                let words = try read(at: slot + 16, count: 16)
                if slot != victim.location && words[7] & 0x80 != 0 && words[8...].allSatisfy({ $0 == 0 }) { return slot }
            }
        case "ia64-vhpt-short":
            let page = victim.location & ~0xFFF
            for slot in stride(from: page, to: page + 4096, by: 8) where try read(at: slot, count: 8).allSatisfy({ $0 == 0 }) {
                return slot
            }
        default:
            let sdr1 = try root("sdr1")
            let base = sdr1 & 0x0FFF_FFFF_FFFC_0000, groups = UInt64(1) << (11 + (sdr1 & 0x1F))
            let own = (victim.location - base) / 128
            for group in 0..<groups where group != own && group != own ^ (groups - 1) {
                for slot in 0..<UInt64(8) where try read(at: base + group * 128 + slot * 16 + 7, count: 1)[0] & 1 == 0 {
                    return base + group * 128 + slot * 16
                }
            }
        }
        throw NoFreeBucket(directory: directory.path)
    }

    /// The image has no free place to move an entry to (the planted fault cannot be planted).
    struct NoFreeBucket: Error, CustomStringConvertible {
        let directory: String
        var description: String { "no free wrong bucket in \(directory)" }
    }

    func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        let handle = try FileHandle(forReadingFrom: directory.appendingPathComponent(PageTableImage.memoryName))
        defer { try? handle.close() }
        try handle.seek(toOffset: offset)
        let data = try handle.read(upToCount: count) ?? Data()
        return [UInt8](data) + [UInt8](repeating: 0, count: count - data.count)
    }

    /// Rewrites manifest.json through `change` on its JSON object.
    func editManifest(_ change: (inout [String: Any]) -> Void) throws {
        let url = directory.appendingPathComponent(PageTableImage.manifestName)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        change(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: url)
    }

    /// Rewrites `count` bytes of memory.img at `offset`.
    func patch(at offset: UInt64, count: Int, _ change: (inout [UInt8]) -> Void) throws {
        var bytes = try read(at: offset, count: count)
        change(&bytes)
        let handle = try FileHandle(forWritingTo: directory.appendingPathComponent(PageTableImage.memoryName))
        defer { try? handle.close() }
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: Data(bytes))
    }
}
