import Foundation
import MMUArchitectures
import MMUCore
import MMUTestSupport
import Testing

/// An independent oracle for the hashed formats: tools/oracle/hashed_decoder.py, written from
/// the Itanium SDM and the Power ISA (not from the encoder), decodes every entry an exported
/// image holds and looks each one up again as the hardware would. Every expected entry must come
/// back with its frame, rights, cache attribute and dirty bit, nothing else may, and every entry
/// must be found at its hashed place. The planted-fault tests damage an exported image (a
/// flipped bit, a dropped entry, an entry moved to a wrong bucket) and expect the check to fail.
struct HashedDecoderConformanceTests {
    static let formats = ["ia64-vhpt-long", "ia64-vhpt-short", "ppc64-hpt"]

    @Test(arguments: formats, PropertySeeds.all)
    func decoderFindsExactlyTheExportedEntries(name: String, seed: UInt64) throws {
        let image = try ExportedImage(name, seed: seed)
        defer { image.remove() }
        // Addresses inside entries (two in three) and anywhere in the regions or segments in use:
        // the decoder's hash lookup must answer as the library's own walk does.
        var random = RandomEntries(seed: seed ^ 0x9E37_79B9, architecture: image.format.architecture)
        let queries = (0..<10_000).map { random.address(in: image.set, mapped: $0 % 3 != 0).rawValue }
        let run = try HashedDecoderRun(directory: image.directory, queries: queries)
        var failures = run.failures(expected: image.set, format: image.format)
        try #require(run.answers.count == queries.count, "\(run.answers.count) answers to \(queries.count) queries: \(run.errors)")
        var mappedQueries = 0
        for (query, answer) in zip(queries, run.answers) {
            let ours: UInt64? =
                switch image.table.translate(VirtualAddress(query), access: .read, privilege: .kernel) {
                case .mapped(let translation): translation.physicalAddress.rawValue
                case .fault: nil
                }
            if ours != nil { mappedQueries += 1 }
            if ours != answer, failures.count < 20 {
                failures.append("query 0x\(String(query, radix: 16)): library \(ours.map { String($0, radix: 16) } ?? "fault"), decoder \(answer.map { String($0, radix: 16) } ?? "none")")
            }
        }
        let sizes = Set(image.set.entries.map(\.size)).sorted().map { String($0.byteCount) }.joined(separator: ",")
        print(
            "hashed decoder \(name) seed \(seed): \(run.entries.count) entries of \(image.set.count) expected (sizes \(sizes)), "
                + "\(run.lookups) findability lookups (first found by \(run.foundBy.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))), "
                + "\(run.chained) in collision chains, \(queries.count) queries (\(mappedQueries) mapped), "
                + "\(String(format: "%.2f", run.seconds)) s, \(failures.count) failures")
        #expect(image.set.count > 500, "too few entries to prove anything: \(image.set.count)")
        #expect(Set(image.set.entries.map(\.size)).count > 1, "\(name): the set should mix page sizes")
        #expect(run.lookups >= 2 * run.entries.count)
        #expect(mappedQueries > queries.count / 2, "too few queries hit an entry: \(mappedQueries)")
        // Every path of the lookups is exercised: chains and the miss handler (IA-64 long), the
        // secondary PTEG (PowerPC).
        switch name {
        case "ia64-vhpt-long": #expect(run.chained > 0 && run.foundBy["handler", default: 0] > 0 && run.foundBy["walker", default: 0] > 0)
        case "ppc64-hpt": #expect(run.foundBy["secondary", default: 0] > 0 && run.foundBy["primary", default: 0] > 0)
        default: #expect(run.foundBy["walker", default: 0] == run.entries.count)
        }
        #expect(failures.isEmpty, "\(name) seed \(seed): \(failures.prefix(10).joined(separator: "\n"))")
    }

    @Test(arguments: formats)
    func flippedFrameBitIsReported(name: String) throws {
        let image = try ExportedImage(name, seed: 7)
        defer { image.remove() }
        let victim = try image.victim()
        // The lowest frame bit of the page: PTE/record word 0 bit log2(size) on IA-64, HPTE
        // doubleword 1 bit log2(size) on PowerPC.
        let bit = victim.size.trailingZeroBitCount
        if name == "ppc64-hpt" {
            try image.patch(at: victim.location + 8 + UInt64(7 - bit / 8), count: 1) { $0[0] ^= 1 << (bit % 8) }
        } else {
            try image.patch(at: victim.location + UInt64(bit / 8), count: 1) { $0[0] ^= 1 << (bit % 8) }
        }
        let failures = try HashedDecoderRun(directory: image.directory).failures(expected: image.set, format: image.format)
        let va = "0x" + String(victim.virtualAddress, radix: 16)
        #expect(failures.contains { $0.hasPrefix("\(va): expected frame") }, "\(failures.prefix(5))")
    }

    @Test(arguments: formats)
    func droppedEntryIsReported(name: String) throws {
        let image = try ExportedImage(name, seed: 8)
        defer { image.remove() }
        let victim = try image.victim()
        switch name {
        case "ia64-vhpt-long": try image.patch(at: victim.location + 23, count: 1) { $0[0] |= 0x80 }  // tag.ti = 1
        case "ia64-vhpt-short": try image.patch(at: victim.location, count: 1) { $0[0] &= ~1 }  // p = 0
        default: try image.patch(at: victim.location + 7, count: 1) { $0[0] &= ~1 }  // V = 0
        }
        let failures = try HashedDecoderRun(directory: image.directory).failures(expected: image.set, format: image.format)
        let va = "0x" + String(victim.virtualAddress, radix: 16)
        #expect(failures.contains { $0.hasPrefix("missing: \(va) ") }, "\(failures.prefix(5))")
    }

    @Test(arguments: formats)
    func entryInWrongBucketIsReported(name: String) throws {
        let image = try ExportedImage(name, seed: 9)
        defer { image.remove() }
        let victim = try image.victim()
        let target = try image.wrongBucket(for: victim)
        let length = name == "ia64-vhpt-long" ? 24 : name == "ia64-vhpt-short" ? 8 : 16
        let bytes = try image.read(at: victim.location, count: length)
        try image.patch(at: target, count: length) { $0 = bytes }
        switch name {
        case "ia64-vhpt-long": try image.patch(at: victim.location + 23, count: 1) { $0[0] |= 0x80 }
        default: try image.patch(at: victim.location, count: length) { $0 = [UInt8](repeating: 0, count: length) }
        }
        let run = try HashedDecoderRun(directory: image.directory)
        let failures = run.failures(expected: image.set, format: image.format)
        let va = "0x" + String(victim.virtualAddress, radix: 16)
        // The moved entry is either decoded where the hash does not lead (IA-64 long: the tag
        // still names its page) or decoded as another page (the slot's place is part of its address).
        #expect(failures.contains { $0.contains(va) }, "\(failures.prefix(5))")
        #expect(!failures.isEmpty)
        if name == "ia64-vhpt-long" {
            #expect(failures.contains("not findable: \(va)"), "\(failures.prefix(5))")
        }
    }

    /// The decoder takes what the manuals leave open from the manifest, not from constants of
    /// its own: a changed declaration (the tag's RID shift, a region's page size, the LP codes)
    /// changes what it decodes, and the check fails.
    @Test(arguments: formats)
    func changedManifestDeclarationIsReported(name: String) throws {
        let image = try ExportedImage(name, seed: 10)
        defer { image.remove() }
        let victim = try image.victim()
        try image.editManifest { manifest in
            var parameters = manifest["parameters"] as? [String: String] ?? [:]
            var registers = manifest["registers"] as? [String: String] ?? [:]
            switch name {
            case "ia64-vhpt-long": parameters["hash.tagRIDShift"] = "40"
            case "ia64-vhpt-short":
                let key = "rr\(victim.virtualAddress >> 61)"
                let value = registers[key].flatMap { UInt64($0.dropFirst(2), radix: 16) } ?? 0
                registers[key] = "0x" + String(value + (1 << 2), radix: 16)  // RR.ps + 1
            default:
                parameters["largePage.65536"] = "0x0"
                parameters["largePage.16777216"] = "0x1"
            }
            manifest["parameters"] = parameters
            manifest["registers"] = registers
        }
        let failures = try HashedDecoderRun(directory: image.directory).failures(expected: image.set, format: image.format)
        #expect(failures.count > 10, "\(failures.prefix(5))")
    }
}

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
