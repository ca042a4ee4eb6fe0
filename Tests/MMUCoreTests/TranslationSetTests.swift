import MMUCore
import MMUTestSupport
import Testing

struct TranslationSetTests {
    let user = VirtualAddress(0x40_0000)

    func range(_ start: UInt64, _ byteCount: UInt64) throws -> VirtualRange {
        try VirtualRange(start: VirtualAddress(start), byteCount: byteCount)
    }

    @Test func mapsAndTranslates() throws {
        var set = TranslationSet()
        try set.update { tx in
            try tx.map(user, to: PhysicalAddress(0x1234_5000), protection: [.read, .execute, .user])
            try tx.map(VirtualAddress(0x60_0000), to: PhysicalAddress(0x4000_0000), size: .size2MiB, protection: [.read, .write, .user])
        }
        #expect(set.count == 2)
        #expect(set.translate(VirtualAddress(0x40_0abc)) == PhysicalAddress(0x1234_5abc))
        #expect(set.translate(VirtualAddress(0x7f_ffff)) == PhysicalAddress(0x401f_ffff))
        #expect(set.translate(VirtualAddress(0x40_1000)) == nil)
        #expect(set.byteCount == 0x20_1000)
    }

    @Test func rejectsOverlapUnlessReplacing() throws {
        var set = TranslationSet()
        try set.update { tx in try tx.map(VirtualAddress(0x20_0000), to: PhysicalAddress(0), size: .size2MiB, protection: .read) }
        let before = set
        let small = MMUEntry(VirtualAddress(0x20_1000), to: PhysicalAddress(0x9000), protection: .read)
        #expect(throws: MappingError.overlap(small, existing: before.entries[0])) {
            try set.update { tx in try tx.map(small) }
        }
        #expect(set == before)
        #expect(throws: MappingError.cutsLargePage(before.entries[0], small.range)) {
            try set.update { tx in try tx.map(small, replacing: true) }
        }
        try set.update { tx in try tx.map(small, replacing: true, largePages: .demote) }
        #expect(set.count == 512)
        #expect(set.translate(VirtualAddress(0x20_1000)) == PhysicalAddress(0x9000))
        #expect(set.translate(VirtualAddress(0x20_2000)) == PhysicalAddress(0x2000))
    }

    @Test func unmapNeedsMappingButClearDoesNot() throws {
        var set = TranslationSet()
        try set.update { tx in try tx.map(user, to: PhysicalAddress(0x1000), protection: .read) }
        #expect(throws: MappingError.notMapped(VirtualAddress(0x40_1000))) {
            try set.update { tx in try tx.unmap(try range(0x40_0000, 0x2000)) }
        }
        #expect(set.count == 1)
        var removed = 0
        try set.update { tx in removed = try tx.clear(try range(0x3f_0000, 0x20000)) }
        #expect(removed == 1)
        #expect(set.isEmpty)
    }

    @Test func clearingCanKeepGlobalEntries() throws {
        var set = TranslationSet()
        try set.update { tx in
            try tx.map(user, to: PhysicalAddress(0x1000), protection: .read)
            try tx.map(VirtualAddress(0x20_0000), to: PhysicalAddress(0x20_0000), size: .size2MiB, protection: .read, attributes: .global)
        }
        try set.update { tx in try tx.clear(try range(0, 0x100_0000), keepingGlobal: true) }
        #expect(set.entries.map(\.isGlobal) == [true])
        try set.update { tx in try tx.clear(try range(0, 0x100_0000)) }
        #expect(set.isEmpty)
    }

    @Test func demotionSplitsIntoLargestPagesThatFit() throws {
        var set = TranslationSet(architecture: .x86_64FourLevel)
        try set.update { tx in try tx.map(VirtualAddress(0x4000_0000), to: PhysicalAddress(0x8000_0000), size: .size1GiB, protection: .read) }
        let hole = try range(0x4000_0000 + 0x20_0000 + 0x3000, 0x1000)
        let summary = try set.update { tx in try tx.unmap(hole, largePages: .demote) }
        #expect(summary.staleRanges == [try range(0x4000_0000, 1 << 30)])
        // 1 GiB minus 4 KiB: one 2 MiB page before, 3 + 508 4 KiB pages around the hole, 510 2 MiB pages after.
        #expect(set.entries.filter { $0.size == .size2MiB }.count == 1 + 510)
        #expect(set.entries.filter { $0.size == .size4KiB }.count == 511)
        #expect(set.byteCount == (1 << 30) - 4096)
        #expect(set.translate(hole.start) == nil)
        #expect(set.translate(VirtualAddress(0x4000_0000 + 0x20_4000)) == PhysicalAddress(0x8000_0000 + 0x20_4000))
    }

    @Test func protectLeavesPagesThatAlreadyHaveTheProtection() throws {
        var set = TranslationSet()
        try set.update { tx in try tx.map(VirtualAddress(0x20_0000), to: PhysicalAddress(0), size: .size2MiB, protection: .read) }
        let summary = try set.update { tx in try tx.protect(try range(0x20_0000, 0x1000), .read) }
        #expect(set.count == 1)
        #expect(summary.staleRanges.isEmpty)
        try set.update { tx in try tx.protect(try range(0x20_0000, 0x1000), [.read, .write], largePages: .demote) }
        #expect(set.count == 512)
        #expect(set.entry(containing: VirtualAddress(0x20_0000))?.protection == [.read, .write])
        #expect(set.entry(containing: VirtualAddress(0x20_1000))?.protection == .read)
    }

    func promotable(_ set: inout TranslationSet, protection: (UInt64) -> Protection = { _ in .read }, frame: (UInt64) -> UInt64 = { $0 * 4096 }) throws {
        try set.update { tx in
            try tx.map(contentsOf: (0..<512).map { MMUEntry(VirtualAddress(0x20_0000 + $0 * 4096), to: PhysicalAddress(0x4000_0000 + frame($0)), protection: protection($0)) })
        }
    }

    @Test func promotesContiguousAlikePagesAndDemotesBack() throws {
        var set = TranslationSet(architecture: .x86_64FourLevel)
        try promotable(&set)
        try set.update { tx in try tx.recordAccess(at: VirtualAddress(0x20_5000), write: true) }
        let summary = try set.update { tx in try tx.resize(VirtualAddress(0x20_0000), to: .size2MiB) }
        #expect(set.entries == [MMUEntry(VirtualAddress(0x20_0000), to: PhysicalAddress(0x4000_0000), size: .size2MiB, protection: .read, attributes: .accessState)])
        #expect(summary.staleRanges == [try range(0x20_0000, 0x20_0000)])
        try set.update { tx in try tx.resize(VirtualAddress(0x20_0000), to: .size4KiB) }
        #expect(set.count == 512)
        #expect(set.entries.allSatisfy { $0.size == .size4KiB && $0.attributes == .accessState })
    }

    @Test func refusesPromotionOfHolesUnlikeOrScatteredPages() throws {
        var holes = TranslationSet()
        try promotable(&holes)
        try holes.update { tx in try tx.unmap(try range(0x20_0000 + 0x7000, 0x1000)) }
        #expect(throws: MappingError.promotionIncomplete(try range(0x20_0000, 0x20_0000), missing: VirtualAddress(0x20_7000))) {
            try holes.update { tx in try tx.resize(VirtualAddress(0x20_0000), to: .size2MiB) }
        }
        var unlike = TranslationSet()
        try promotable(&unlike, protection: { $0 == 9 ? [.read, .write] : .read })
        #expect(throws: MappingError.promotionUnlike(unlike.entries[0], unlike.entries[9])) {
            try unlike.update { tx in try tx.resize(VirtualAddress(0x20_0000), to: .size2MiB) }
        }
        var scattered = TranslationSet()
        try promotable(&scattered, frame: { $0 == 3 ? 0x10_0000 : $0 * 4096 })
        #expect(throws: MappingError.promotionNotContiguous(scattered.entries[3], expected: PhysicalAddress(0x4000_3000))) {
            try scattered.update { tx in try tx.resize(VirtualAddress(0x20_0000), to: .size2MiB) }
        }
        var misaligned = TranslationSet()
        try promotable(&misaligned, frame: { ($0 + 1) * 4096 })
        #expect(throws: MappingError.promotionNotContiguous(misaligned.entries[0], expected: PhysicalAddress(0x4000_0000))) {
            try misaligned.update { tx in try tx.resize(VirtualAddress(0x20_0000), to: .size2MiB) }
        }
        #expect(throws: MappingError.misaligned(VirtualAddress(0x20_1000), .size2MiB)) {
            try misaligned.update { tx in try tx.resize(VirtualAddress(0x20_1000), to: .size2MiB) }
        }
    }

    @Test func checksTheDeclaredArchitecture() throws {
        var set = TranslationSet(architecture: .x86_64FourLevel)
        #expect(throws: MappingError.unsupportedPageSize(.size4MiB, architecture: "x86_64-4level")) {
            try set.update { tx in try tx.map(VirtualAddress(0), to: PhysicalAddress(0), size: .size4MiB, protection: .read) }
        }
        #expect(throws: MappingError.nonCanonical(VirtualAddress(0x0000_8000_0000_0000), architecture: "x86_64-4level")) {
            try set.update { tx in try tx.map(VirtualAddress(0x0000_8000_0000_0000), to: PhysicalAddress(0), protection: .read) }
        }
        #expect(throws: MappingError.frameOutOfRange(PhysicalAddress(1 << 52), architecture: "x86_64-4level")) {
            try set.update { tx in try tx.map(VirtualAddress(0), to: PhysicalAddress(1 << 52), protection: .read) }
        }
        #expect(throws: MappingError.misaligned(VirtualAddress(0x1000), .size2MiB)) {
            try set.update { tx in try tx.map(VirtualAddress(0x1000), to: PhysicalAddress(0), size: .size2MiB, protection: .read) }
        }
        #expect(throws: MappingError.misalignedFrame(PhysicalAddress(0x1000), .size2MiB)) {
            try set.update { tx in try tx.map(VirtualAddress(0), to: PhysicalAddress(0x1000), size: .size2MiB, protection: .read) }
        }
        try set.update { tx in try tx.map(VirtualAddress(0xffff_ffff_ffff_f000), to: PhysicalAddress(0xf_ffff_ffff_f000), protection: .read) }
        #expect(set.entries.last?.range.upperPage == VirtualRange.pageLimit)
    }

    @Test func aFailedOperationChangesNothingAndAThrowingBodyDiscardsAll() throws {
        var set = TranslationSet()
        struct Abort: Error {}
        try set.update { tx in
            try tx.map(user, to: PhysicalAddress(0x1000), protection: .read)
            #expect(throws: MappingError.self) { try tx.map(contentsOf: [MMUEntry(VirtualAddress(0x50_0000), to: PhysicalAddress(0), protection: .read), MMUEntry(user, to: PhysicalAddress(0), protection: .read)]) }
            #expect(throws: MappingError.self) { try tx.unmap(try range(0x40_0000, 0x3000)) }
        }
        #expect(set.entries.map(\.virtualAddress) == [user])
        let before = set
        #expect(throws: Abort.self) {
            try set.update { tx in
                try tx.unmap(try range(0x40_0000, 0x1000))
                throw Abort()
            }
        }
        #expect(set == before)
    }

    @Test func globalAccessAndFaultBookkeeping() throws {
        var set = TranslationSet()
        try set.update { tx in
            try tx.map(user, to: PhysicalAddress(0x1000), protection: [.read, .write])
            try tx.makeGlobal(try range(0x40_0000, 0x1000))
            try tx.recordAccess(at: VirtualAddress(0x40_0010), count: 3)
            try tx.recordFault(at: VirtualAddress(0x90_0000))
        }
        #expect(set.entries[0].attributes == [.global, .accessed])
        #expect(set.pageActivity[0x400] == PageActivity(accesses: 3))
        #expect(set.pageActivity[0x900] == PageActivity(faults: 1))
        #expect(throws: MappingError.notMapped(VirtualAddress(0x90_0000))) {
            try set.update { tx in try tx.recordAccess(at: VirtualAddress(0x90_0000)) }
        }
        #expect(throws: MappingError.zeroCount(user)) {
            try set.update { tx in try tx.recordAccess(at: user, count: 0) }
        }
    }

    @Test func copiesPrivateEntriesOfARange() throws {
        var source = TranslationSet()
        try source.update { tx in
            try tx.map(VirtualAddress(0x20_0000), to: PhysicalAddress(0x4000_0000), size: .size2MiB, protection: .read)
            try tx.map(VirtualAddress(0x60_0000), to: PhysicalAddress(0x7000), protection: .read, attributes: .global)
        }
        var target = TranslationSet()
        let window = try range(0x30_0000, 0x40_0000)
        #expect(throws: MappingError.cutsLargePage(source.entries[0], window)) {
            try target.update { tx in try tx.copy(window, from: source) }
        }
        try target.update { tx in try tx.copy(window, from: source, largePages: .demote) }
        #expect(target.count == 256)
        #expect(target.translate(VirtualAddress(0x30_0000)) == PhysicalAddress(0x4010_0000))
        #expect(target.translate(VirtualAddress(0x60_0000)) == nil)
    }

    @Test func replacesMemoryAreasAtomically() throws {
        var set = TranslationSet()
        let heap = MemoryArea(range: try range(0x60_0000, 0x4000), protection: [.read, .write, .user], kind: .heap, name: "[heap]")
        let code = MemoryArea(range: try range(0x40_0000, 0x2000), protection: [.read, .execute, .user], kind: .file, name: "/bin/true")
        try set.update { tx in try tx.replaceAreas(in: heap.range, with: [heap, code]) }
        #expect(set.areas == [code, heap])
        let grown = MemoryArea(range: try range(0x60_0000, 0x8000), protection: heap.protection, kind: .heap, name: "[heap]")
        try set.update { tx in try tx.replaceAreas(in: try range(0x60_3000, 0x2000), with: [grown]) }
        #expect(set.areas == [code, grown])
        let clash = MemoryArea(range: try range(0x40_1000, 0x1000), protection: .read, kind: .anonymous)
        #expect(throws: MappingError.areaOverlap(clash, existing: code)) {
            try set.update { tx in try tx.replaceAreas(in: try range(0x70_0000, 0x1000), with: [clash]) }
        }
        #expect(set.areas == [code, grown])
    }

    /// Runs `count` random operations of `seed`, each in its own transaction through `engine`,
    /// beside the reference model: returns the first operation whose acceptance or result
    /// differs, and how many were accepted and refused. The result of each operation is
    /// compared over the pages it can change, the whole set every 100 operations and at the end.
    static func compareWithTheReferenceModel(
        seed: UInt64, count: Int,
        engine: (TransactionOperation, TranslationSet.Transaction) throws -> Void = { try $0.apply(to: $1) }
    ) throws -> (disagreement: String?, accepted: Int, refused: Int, set: TranslationSet) {
        var operations = RandomOperations(seed: seed)
        var set = TranslationSet()
        var model = ReferenceModel()
        var accepted = 0, refused = 0
        for index in 0..<count {
            let operation = operations.next()
            var engineRefusal: MappingError?
            try set.update { tx in
                do {
                    try engine(operation, tx)
                } catch let error as MappingError {
                    engineRefusal = error
                }
            }
            let modelRefusal = model.apply(operation)
            switch (engineRefusal, modelRefusal) {
            case (nil, nil): accepted += 1
            case (.some, .some): refused += 1
            case (nil, let reason?):
                return ("operation \(index) \(operation): the engine accepted it, the model refuses it: \(reason)", accepted, refused, set)
            case (let error?, nil):
                return ("operation \(index) \(operation): the model accepts it, the engine refused it: \(error)", accepted, refused, set)
            }
            // The pages the operation can change after each one, and everything every 100.
            let span = index % 100 == 99 || index == count - 1 ? nil : ReferenceModel.span(of: operation)
            if let difference = model.difference(from: set, in: span) {
                return ("operation \(index) \(operation): \(difference)", accepted, refused, set)
            }
        }
        return (nil, accepted, refused, set)
    }

    @Test(arguments: PropertySeeds.all)
    func everyRandomOperationIsAcceptedOrRefusedAndAppliedAsTheReferenceModelSays(seed: UInt64) throws {
        let result = try Self.compareWithTheReferenceModel(seed: seed, count: 2_000)
        print("reference model, seed \(seed): \(result.accepted) accepted, \(result.refused) refused, agree: \(result.disagreement == nil)")
        #expect(result.disagreement == nil, "seed \(seed): \(result.disagreement ?? "")")
        #expect(result.accepted > 600 && result.refused > 200, "seed \(seed): too few operations succeeded or failed to exercise anything")
        try checkInvariants(result.set)
    }

    /// Planted faults: an engine that wrongly refuses a valid operation (every promotion), and
    /// one that applies an operation wrongly (protects with one right too few), must disagree.
    @Test func anEngineThatRefusesAValidOperationOrAppliesOneWronglyDisagrees() throws {
        let refusing = try Self.compareWithTheReferenceModel(seed: 1, count: 2_000) { operation, tx in
            if case .resize(let address, let size) = operation, size == .size2MiB, address.isAligned(to: size) {
                throw MappingError.promotionIncomplete(VirtualRange(pages: address.pageNumber..<(address.pageNumber + 512)), missing: address)
            }
            try operation.apply(to: tx)
        }
        print("planted wrong refusal: \(refusing.disagreement ?? "no disagreement")")
        #expect(refusing.disagreement?.contains("the model accepts it, the engine refused it") == true)
        let wrong = try Self.compareWithTheReferenceModel(seed: 1, count: 2_000) { operation, tx in
            if case .protect(let range, var protection, let largePages) = operation, protection.contains(.write) {
                protection.remove(.write)
                try TransactionOperation.protect(range, protection, largePages: largePages).apply(to: tx)
            } else {
                try operation.apply(to: tx)
            }
        }
        print("planted wrong result: \(wrong.disagreement ?? "no disagreement")")
        #expect(wrong.disagreement?.contains(": page ") == true)
    }

    func checkInvariants(_ set: TranslationSet) throws {
        for (index, entry) in set.entries.enumerated() {
            #expect(entry.virtualAddress.isAligned(to: entry.size))
            #expect(entry.physicalAddress.isAligned(to: entry.size))
            if index > 0 { #expect(set.entries[index - 1].range.upperPage <= entry.pageNumber) }
        }
    }
}
