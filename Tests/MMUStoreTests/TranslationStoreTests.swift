import Foundation
import GRDB
import MMUCore
import MMUTestSupport
import Testing

@testable import MMUStore

struct TranslationStoreTests {
    func range(_ start: UInt64, _ byteCount: UInt64) throws -> VirtualRange {
        try VirtualRange(start: VirtualAddress(start), byteCount: byteCount)
    }

    @Test func mapsCommitsAndReadsBack() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        try store.createSet(named: "proc-42", architecture: .x86_64FourLevel)
        let commit = try store.update(set: "proc-42", label: "exec") { tx in
            try tx.map(VirtualAddress(0x40_0000), to: PhysicalAddress(0x1000), protection: [.read, .execute, .user])
            try tx.map(VirtualAddress(0x60_0000), to: PhysicalAddress(0x20_0000), size: .size2MiB, protection: [.read, .write, .user])
        }
        #expect(commit.generation == 0)
        #expect(commit.sequence == 1)
        #expect(commit.summary.counts.maps == 2)
        let set = try store.translationSet(named: "proc-42")
        #expect(set.count == 2)
        #expect(set.translate(VirtualAddress(0x7f_f123)) == PhysicalAddress(0x3f_f123))
        #expect(set.architecture == .x86_64FourLevel)
        let second = try store.update(set: "proc-42") { tx in try tx.unmap(try range(0x40_0000, 0x1000)) }
        #expect(second.generation == 1)
        #expect(second.summary.staleRanges == [try range(0x40_0000, 0x1000)])
        #expect(try store.translationSet(named: "proc-42", at: .generation(0)).count == 2)
        #expect(try store.translationSet(named: "proc-42").count == 1)
        #expect(try store.log(of: "proc-42").map(\.label) == ["exec", nil])
    }

    @Test func aFailingTransactionLeavesTheContentExactlyAsItWas() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        try store.createSet(named: "p")
        try store.update(set: "p") { tx in try tx.map(VirtualAddress(0x1000), to: PhysicalAddress(0x1000), protection: .read) }
        let before = try fixture.dump()
        for failing in [
            TransactionOperation.map(MMUEntry(VirtualAddress(0x1000), to: PhysicalAddress(0), protection: .read), replacing: false, largePages: .reject),
            .unmap(try range(0x5000, 0x1000), largePages: .reject),
            .resize(VirtualAddress(0x1000), to: .size2MiB),
            .map(MMUEntry(VirtualAddress(0x1234), to: PhysicalAddress(0), protection: .read), replacing: false, largePages: .reject),
            .copy(try range(0, 0x1000), fromSet: "nope", replacing: false, largePages: .reject),
        ] {
            #expect(throws: StoreError.self) {
                try store.update(set: "p") { tx in
                    try tx.map(VirtualAddress(0x9000), to: PhysicalAddress(0x9000), protection: .read)
                    try tx.recordAccess(at: VirtualAddress(0x1000), write: true)
                    try tx.makeGlobal(try range(0x9000, 0x1000))
                    try failing.apply(to: tx)
                }
            }
            #expect(try fixture.dump() == before)
        }
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try store.update(set: "p") { tx in
                try tx.clear(try range(0, 0x10000))
                throw Abort()
            }
        }
        #expect(try fixture.dump() == before)
    }

    @Test func kernelHalfAndTopPhysicalAddressesRoundTripAndSort() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        try store.createSet(named: "k")
        let entries = [
            MMUEntry(VirtualAddress(0xffff_ffff_ffff_f000), to: PhysicalAddress(0xffff_ffff_ffff_f000), protection: .read),
            MMUEntry(VirtualAddress(0xffff_8000_0000_0000), to: PhysicalAddress(0x8000_0000_0000_0000), size: .size1GiB, protection: [.read, .write]),
            MMUEntry(VirtualAddress(0x0000_7fff_ffff_f000), to: PhysicalAddress(0), protection: [.read, .user]),
            MMUEntry(VirtualAddress(0), to: PhysicalAddress(0xffff_ffff_0000_0000), size: .size4GiB, protection: .read),
        ]
        try store.map(entries, into: "k")
        let set = try store.translationSet(named: "k")
        #expect(set.entries == entries.sorted { $0.virtualAddress < $1.virtualAddress })
        let vpns = try store.read { db in try Int64.fetchAll(db, sql: "SELECT vpn FROM mmuEntry ORDER BY vpn") }
        #expect(vpns == entries.map { Int64($0.pageNumber) }.sorted())
        #expect(vpns.allSatisfy { $0 >= 0 })
        #expect(set.translate(VirtualAddress(UInt64.max)) == PhysicalAddress(UInt64.max))
    }

    @Test func globalEntriesAppearInEverySetAndConflictsAreRefused() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        try store.createSet(named: "a")
        try store.createSet(named: "b")
        try store.update(set: "b") { tx in try tx.map(VirtualAddress(0x7000), to: PhysicalAddress(0x7000), protection: .read) }
        try store.update(set: "a") { tx in
            try tx.map(VirtualAddress(0xffff_8000_0000_0000), to: PhysicalAddress(0x10_0000), protection: [.read, .write], attributes: .global)
        }
        #expect(try store.translationSet(named: "b").entry(containing: VirtualAddress(0xffff_8000_0000_0000))?.isGlobal == true)
        #expect(try store.translationSet(named: "b", at: .generation(0)).entry(containing: VirtualAddress(0xffff_8000_0000_0000)) == nil)
        #expect(try store.translationSet(named: TranslationStore.globalSetName).count == 1)
        do {
            try store.update(set: "a") { tx in
                try tx.map(VirtualAddress(0x7000), to: PhysicalAddress(0x9000), protection: .read, attributes: .global)
            }
            Issue.record("a global entry over set b's private entry was accepted")
        } catch let error as StoreError {
            #expect(error.code == .mapping)
            #expect(error.message.contains("'b'"))
        }
        #expect(throws: StoreError.self) { try store.update(set: TranslationStore.globalSetName) { _ in } }
        let rows = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM mmuEntry WHERE setId = 1") }
        #expect(rows == 1)
    }

    @Test func snapshotsNameGenerationsAndSurviveCompaction() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        try store.createSet(named: "p")
        for index in 0..<6 as Range<UInt64> {
            try store.update(set: "p") { tx in
                try tx.map(VirtualAddress(index << 12), to: PhysicalAddress(index << 12), protection: .read)
                if index > 0 { try tx.protect(try range(0, index << 12), [.read, .write]) }
            }
            if index == 2 { try store.createSnapshot(named: "two", of: "p") }
        }
        let atSnapshot = try store.translationSet(named: "p", at: .snapshot("two"))
        #expect(atSnapshot == (try store.translationSet(named: "p", at: .generation(2))))
        #expect(atSnapshot.count == 3)
        #expect(throws: StoreError.self) { try store.createSnapshot(named: "two", of: "p") }
        #expect(throws: StoreError.self) { try store.createSnapshot(named: "17", of: "p") }
        let head = try store.translationSet(named: "p")
        let result = try store.compact(set: "p")
        #expect(result.compactedThrough == 2)
        #expect(result.entriesRemoved > 0)
        #expect(try store.translationSet(named: "p", at: .snapshot("two")) == atSnapshot)
        #expect(try store.translationSet(named: "p") == head)
        #expect(try store.translationSet(named: "p", at: .generation(4)).count == 5)
        do {
            _ = try store.translationSet(named: "p", at: .generation(1))
            Issue.record("a compacted generation was readable")
        } catch {
            #expect(error.code == .compacted)
        }
        #expect(try store.check(deep: true).isSound)
        try store.deleteSnapshot(named: "two", of: "p")
        #expect(try store.snapshots(of: "p").isEmpty)
    }

    @Test func setsAreCreatedRenamedDuplicatedAndDeleted() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        try store.createSet(named: "parent", architecture: .riscvSv39)
        try store.update(set: "parent") { tx in
            try tx.map(VirtualAddress(0x1000), to: PhysicalAddress(0x1000), protection: [.read, .user])
            try tx.replaceAreas(in: try range(0x1000, 0x1000), with: [MemoryArea(range: try range(0x1000, 0x4000), protection: [.read, .user], kind: .heap, name: "[heap]")])
        }
        try store.update(set: "parent") { tx in try tx.recordAccess(at: VirtualAddress(0x1000), write: true) }
        let child = try store.duplicateSet(named: "parent", as: "child")
        #expect(child.headGeneration == 0)
        #expect(child.architectureName == "riscv-sv39")
        #expect(try store.translationSet(named: "child") == (try store.translationSet(named: "parent")))
        let early = try store.duplicateSet(named: "parent", as: "early", at: .generation(0))
        #expect(early.name == "early")
        #expect(try store.translationSet(named: "early").entries.map(\.attributes) == [[]])
        try store.renameSet(named: "child", to: "child-2")
        #expect(try store.sets().map(\.name) == ["child-2", "early", "parent"])
        try store.deleteSet(named: "parent")
        #expect(try store.sets().map(\.name) == ["child-2", "early"])
        try store.createSet(named: "new")
        #expect(try store.check(deep: true).isSound)
        for bad in ["", "a@b", "x:y", " padded", "sl/ash", String(repeating: "n", count: 201)] {
            #expect(throws: StoreError.self) { try store.createSet(named: bad) }
        }
        #expect(throws: StoreError.self) { try store.createSet(named: "new") }
        #expect(throws: StoreError.self) { try store.renameSet(named: TranslationStore.globalSetName, to: "x") }
        #expect(throws: StoreError.self) { try store.deleteSet(named: "missing") }
    }

    @Test func rowsChangedBehindTheStoresBackAreCaughtByTheDigest() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        try store.createSet(named: "p")
        try store.map((0..<64).map { MMUEntry(VirtualAddress($0 << 12), to: PhysicalAddress($0 << 12), protection: .read) }, into: "p")
        try store.update(set: "p") { tx in try tx.protect(try range(0, 0x4000), [.read, .write]) }
        #expect(try store.check().isSound)
        #expect(try store.log(of: "p").last?.digest == (try store.translationSet(named: "p").contentDigest))
        try store.writer.write { db in try db.execute(sql: "UPDATE mmuEntry SET pfn = pfn + 1 WHERE vpn = 40") }
        let report = try store.check()
        #expect(report.problems.contains { $0.contains("head digest") }, "\(report.problems)")
        #expect(report.problems.contains { $0.contains("generation 0 does not match") }, "\(report.problems)")
    }

    @Test(arguments: [
        ("UPDATE mmuEntry SET pageShift = 13 WHERE vpn = 0", "entries: set 'p': live entries"),
        ("UPDATE mmuEntry SET pageShift = 13 WHERE vpn = 2", "8KiB is not supported by x86_64-4level"),
        ("INSERT INTO mmuEntry (setId, vpn, born, pfn, pageShift, protection, cacheMode) VALUES (2, 0, 1, 9, 12, 1, 0)", "several live versions at page 0x0"),
        ("INSERT INTO mmuEntry (setId, vpn, born, pfn, pageShift, protection, cacheMode) VALUES (77, 0, 0, 9, 12, 1, 0)", "orphan entry rows of set id 77"),
        ("UPDATE mmuEntry SET born = 9 WHERE vpn = 0", "beyond head"),
        ("UPDATE liveSummary SET entries = entries + 1", "summary: set id 2"),
        ("UPDATE translationSet SET storedRows = 3 WHERE name = 'p'", "3 rows recorded"),
        ("DELETE FROM transactionLog", "log generations are not 0...0"),
        ("UPDATE transactionLog SET sequence = 5", "sequence numbers run from 5"),
        ("INSERT INTO snapshot (setId, name, generation, globalGeneration, createdAt) VALUES (2, 'late', 4, 0, 'x')", "names generation 4"),
        ("INSERT INTO entryState VALUES (2, 999, 1, 0)", "belong to no live entry"),
        ("INSERT INTO memoryArea VALUES (2, 1, 0, NULL, 4, 1, 'heap', 0, 'two')", "live memory areas"),
        ("UPDATE memoryArea SET protection = 3", "does not match its logged digest"),
        ("UPDATE transactionLog SET label = 'forged'", "the chain breaks at sequence 1"),
        ("UPDATE snapshot SET generation = -1", "its row was changed"),
        ("UPDATE translationSet SET architecture = 'riscv-sv39' WHERE name = 'p'", "set 'p': its row was changed"),
        ("UPDATE entryState SET dirty = 1 - dirty", "do not match the recorded state digest"),
        ("UPDATE pageActivity SET faults = faults + 1", "do not match the recorded state digest"),
        ("UPDATE mmuEntry SET pageShift = 21 WHERE vpn = 1", "not aligned to 2MiB"),
        ("UPDATE snapshotPageActivity SET accesses = accesses + 1", "kept access bits or page counters do not match their digest"),
        ("UPDATE snapshotEntryState SET dirty = 1 - dirty", "kept access bits or page counters do not match their digest"),
        ("INSERT INTO snapshotPageActivity VALUES (99, 5, 1, 0, 0, 0, 0)", "of snapshot id 99, which keeps none"),
        ("UPDATE snapshot SET activityDigest = NULL", "its row was changed"),
    ])
    func checkNamesEachKindOfDamage(sql: String, finding: String) throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        try store.createSet(named: "p", architecture: .x86_64FourLevel)
        try store.update(set: "p") { tx in
            try tx.map(contentsOf: (0..<4).map { MMUEntry(VirtualAddress($0 << 12), to: PhysicalAddress($0 << 12), protection: .read) })
            try tx.replaceAreas(in: try range(0, 0x1000), with: [MemoryArea(range: try range(0, 0x4000), protection: .read, kind: .heap, name: "one")])
            try tx.recordAccess(at: VirtualAddress(0x1000), write: true)
        }
        try store.createSnapshot(named: "s", of: "p", metadata: "{}", keepingActivity: true)
        #expect(try store.check().isSound)
        try store.writer.write { db in try db.execute(sql: sql) }
        let report = try store.check()
        #expect(report.problems.contains { $0.contains(finding) }, "\(sql): \(report.problems)")
    }

    @Test func aRestoreOrCopyFromASnapshotStartsFromTheCountersItKept() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let page = VirtualAddress(0x1000)
        try store.createSet(named: "p")
        try store.update(set: "p") { tx in
            try tx.map(page, to: PhysicalAddress(0x5000), protection: [.read, .write])
            try tx.replaceAreas(in: try range(0, 0x4000), with: [MemoryArea(range: try range(0x1000, 0x1000), protection: [.read, .write], kind: .heap, name: "heap")])
            try tx.recordAccess(at: page, count: 3)
            try tx.recordFault(at: page)
        }
        try store.createSnapshot(named: "kept", of: "p", keepingActivity: true)
        try store.createSnapshot(named: "bare", of: "p")
        let atSnapshot = try store.translationSet(named: "p", includingActivity: true)
        try store.update(set: "p") { tx in
            try tx.recordAccess(at: page, write: true, count: 5)
            try tx.map(VirtualAddress(0x2000), to: PhysicalAddress(0x6000), protection: .read)
            try tx.recordAccess(at: VirtualAddress(0x2000))
        }
        #expect(try store.snapshots(of: "p").map(\.keepsActivity) == [true, false])
        let copy = try store.duplicateSet(named: "p", as: "copy", at: .snapshot("kept"))
        #expect(try store.translationSet(named: copy.name, includingActivity: true).pageActivity == atSnapshot.pageActivity)
        #expect(try store.translationSet(named: copy.name, includingActivity: true).entries == atSnapshot.entries)
        try store.restore(set: "p", toSnapshot: "kept", label: "back")
        let restored = try store.translationSet(named: "p", includingActivity: true)
        #expect(restored.pageActivity == atSnapshot.pageActivity)
        #expect(restored.entries == atSnapshot.entries)
        #expect(restored.areas == atSnapshot.areas)
        try store.createSnapshot(named: "kept", of: "p", replacing: true)
        try store.deleteSet(named: "copy")
        #expect(try store.check(deep: true).isSound)
        let keptRows = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM snapshotPageActivity") }
        #expect(keptRows == 0)
    }

    @Test func aSetCreatedWithAFailedTransactionIsNotCreated() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        #expect(throws: StoreError.self) {
            try store.update(set: "new", creating: .init(architecture: .i386)) { tx in
                try tx.map(VirtualAddress(0x1_0000_0000), to: PhysicalAddress(0), protection: .read)
            }
        }
        #expect(try store.sets().isEmpty)
        let commit = try store.update(set: "new", creating: .init(architecture: .i386)) { tx in
            try tx.map(VirtualAddress(0x1000), to: PhysicalAddress(0), protection: .read)
        }
        #expect(commit.generation == 0)
        #expect(try store.set(named: "new").architectureName == "i386")
    }

    @Test func overlappingOrFutureMemoryAreasAreReportedPrecisely() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        try store.createSet(named: "p")
        try store.update(set: "p") { tx in
            try tx.replaceAreas(
                in: try range(0x40_0000, 0x4000),
                with: [
                    MemoryArea(range: try range(0x40_0000, 0x2000), protection: .read, kind: .heap),
                    MemoryArea(range: try range(0x40_2000, 0x2000), protection: .read, kind: .stack),
                ])
        }
        #expect(try store.check(deep: true).isSound)
        try store.writer.write { db in
            try db.execute(sql: "UPDATE memoryArea SET pageCount = 3 WHERE vpn = 0x400")
            try db.execute(sql: """
                INSERT INTO memoryArea (setId, vpn, born, pageCount, protection, kind, isShared, name)
                SELECT setId, 0x500, 7, 1, 1, 'anonymous', 0, '' FROM memoryArea LIMIT 1
                """)
        }
        let problems = try store.check(deep: true).problems
        #expect(problems.contains("areas: set 'p': live memory areas 0x400000-0x403000 and 0x402000-0x404000 overlap"), "\(problems)")
        #expect(problems.contains("areas: set 'p': memory area at 0x500000 has born 7 beyond head 0"), "\(problems)")
        #expect(problems.contains("digests: set 'p': the live rows do not match the recorded head digest"), "\(problems)")
        #expect(problems.count == 4, "\(problems)")
    }

    @Test func anExpectedGenerationMakesRetriesIdempotent() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        try store.createSet(named: "p")
        let map = { (tx: TranslationSet.Transaction) in try tx.map(VirtualAddress(0x1000), to: PhysicalAddress(0x1000), protection: .read) }
        try store.update(set: "p", expectedGeneration: -1, map)
        do {
            try store.update(set: "p", expectedGeneration: -1, map)
            Issue.record("a retry of a committed transaction applied twice")
        } catch let error as StoreError {
            #expect(error.code == .conflict)
        }
        #expect(try store.log(of: "p").count == 1)
    }

    /// The store against the reference model, which shares no code with the engine: one set,
    /// every random operation in a store transaction of its own, acceptance compared for each
    /// (refused ones included) and every page of the set every 25 operations and at the end.
    @Test(arguments: PropertySeeds.all)
    func everyRandomOperationOnTheStoreIsAcceptedAndAppliedAsTheReferenceModelSays(seed: UInt64) throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        try store.createSet(named: "p")
        var operations = RandomOperations(seed: seed)
        var model = ReferenceModel()
        var accepted = 0, refused = 0
        let count = 500
        for index in 0..<count {
            let operation = operations.next()
            var storeRefusal: MappingError?
            try store.update(set: "p") { tx in
                do {
                    try operation.apply(to: tx)
                } catch let error as MappingError {
                    storeRefusal = error
                }
            }
            let modelRefusal = model.apply(operation)
            #expect((storeRefusal == nil) == (modelRefusal == nil), "seed \(seed) operation \(index) \(operation): store \(storeRefusal.map { "\($0)" } ?? "accepted"), model \(modelRefusal ?? "accepts")")
            if (storeRefusal == nil) != (modelRefusal == nil) { return }
            if storeRefusal == nil { accepted += 1 } else { refused += 1 }
            if index % 25 == 24 || index == count - 1, let difference = model.difference(from: try store.translationSet(named: "p")) {
                Issue.record("seed \(seed) after operation \(index) \(operation): \(difference)")
                return
            }
        }
        print("store against the reference model, seed \(seed): \(accepted) accepted, \(refused) refused")
        #expect(accepted > 150 && refused > 50, "seed \(seed)")
    }

    @Test(arguments: PropertySeeds.all)
    func randomHistoriesAgreeWithTheModel(seed: UInt64) throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let model = StoreModel()
        let names = ["alpha", "beta", "gamma"]
        for name in names {
            try store.createSet(named: name)
            model.createSet(name)
        }
        var generator = SplitMix64(seed: seed)
        var operations = RandomOperations(seed: seed, otherSets: names)
        var applied = 0
        for round in 0..<200 {
            let name = names[Int(generator.next() % 3)]
            let batch = (0..<10).map { _ in operations.next() }
            var storeFailures: [Bool] = [], modelFailures: [Bool] = []
            try store.update(set: name) { tx in
                for operation in batch {
                    do { try operation.apply(to: tx); storeFailures.append(false) } catch is MappingError { storeFailures.append(true) }
                }
            }
            try model.update(set: name) { tx in
                for operation in batch {
                    do { try operation.apply(to: tx); modelFailures.append(false) } catch is MappingError { modelFailures.append(true) }
                }
            }
            applied += storeFailures.filter { !$0 }.count
            #expect(storeFailures == modelFailures, "seed \(seed) round \(round): operations \(batch)")
            let stored = try store.translationSet(named: name, includingActivity: true)
            let expected = model.view(of: name)
            #expect(stored.entries == expected.entries, "seed \(seed) round \(round)")
            #expect(stored.pageActivity == expected.pageActivity, "seed \(seed) round \(round)")
            if stored.entries != expected.entries { return }
        }
        #expect(applied > 800, "seed \(seed)")
        for name in names {
            for (generation, expected) in (model.history(of: name)).enumerated() {
                let stored = try store.translationSet(named: name, at: .generation(Int64(generation)))
                #expect(stored.entries == expected.entries, "seed \(seed): \(name) generation \(generation)")
            }
        }
        let report = try store.check(deep: true)
        #expect(report.isSound, "seed \(seed): \(report.problems)")
    }
}
