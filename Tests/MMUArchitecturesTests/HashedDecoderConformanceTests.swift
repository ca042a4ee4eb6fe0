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
        #expect(mappedQueries > queries.count / 2, "too few queries hit an entry: \(mappedQueries)")
        // Every path of the lookups is exercised: chains and the miss handler (IA-64 long), the
        // secondary PTEG (PowerPC).
        if name == "ia64-vhpt-long" {
            #expect(run.chained > 0 && run.foundBy["handler", default: 0] > 0 && run.foundBy["walker", default: 0] > 0)
        } else if name == "ppc64-hpt" {
            #expect(run.foundBy["secondary", default: 0] > 0 && run.foundBy["primary", default: 0] > 0)
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
    func flippedRightsBitIsReported(name: String) throws {
        let image = try ExportedImage(name, seed: 11)
        defer { image.remove() }
        let victim = try image.victim()
        if name == "ppc64-hpt" {
            try image.patch(at: victim.location + 15, count: 1) { $0[0] ^= 1 }  // doubleword 1 bit 0: PP's low bit
        } else {
            try image.patch(at: victim.location + 1, count: 1) { $0[0] ^= 1 << 1 }  // PTE bit 9: ar's low bit
        }
        let failures = try HashedDecoderRun(directory: image.directory).failures(expected: image.set, format: image.format)
        let va = "0x" + String(victim.virtualAddress, radix: 16)
        #expect(failures.contains { $0.hasPrefix("\(va): expected kernel") || $0.hasPrefix("\(va): expected user") || $0.contains("reserved PP") },
            "\(failures.prefix(5))")
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
