@testable import MMUArchitectures
import MMUCore
import Testing

/// A table whose pages no longer decode makes `entries()` throw, and the footprint of the
/// hashed formats that decode their entries to count probes; `encodedEntries()` throws or
/// shows the damage. An empty list in their place would make a rebuild that starts from them
/// drop every entry, and a comparison of two tables miss the difference.
struct WalkFailureTests {
    /// A few 4 KiB user pages every format can hold.
    static let set: TranslationSet = {
        let entries = (0..<8).map { page in
            MMUEntry(
                VirtualAddress(0x40_0000 + UInt64(page) << 12), to: PhysicalAddress(0x100_0000 + UInt64(page) << 12),
                size: .size4KiB, protection: [.read, .write, .user])
        }
        do { return try TranslationSet(entries: entries) } catch { fatalError("the fixture set is valid: \(error)") }
    }()

    /// The same table with every word of its first table page set to all ones: present, with
    /// reserved bits and pointers outside the table, whatever the format.
    func corrupted(_ table: any HardwarePageTable) throws -> any HardwarePageTable {
        func spoil(_ store: inout FrameStore) {
            for word in 0..<FrameStore.wordsPerPage { store[0, word] = .max }
        }
        switch table {
        case let radix as X86FourLevelPageTable: spoil(&radix.engine.store)
        case let radix as X86FiveLevelPageTable: spoil(&radix.engine.store)
        case let radix as X86LegacyPageTable: spoil(&radix.engine.store)
        case let radix as X86PAEPageTable: spoil(&radix.engine.store)
        case let radix as AArch64FortyEightBitPageTable: spoil(&radix.engine.store)
        case let radix as AArch64ThirtyNineBitPageTable: spoil(&radix.engine.store)
        case let radix as RISCVSv39PageTable: spoil(&radix.engine.store)
        case let radix as RISCVSv48PageTable: spoil(&radix.engine.store)
        case let radix as RISCVSv57PageTable: spoil(&radix.engine.store)
        case let hashed as IA64LongVHPTTable: spoil(&hashed.engine.store)
        case let hashed as IA64ShortVHPTTable: spoil(&hashed.engine.store)
        case let hashed as PPC64HashedTable: spoil(&hashed.engine.store)
        default: Issue.record("no corruption for \(type(of: table))")
        }
        return table
    }

    @Test(arguments: PageTableFormat.all)
    func readersOfAnUndecodableTableThrow(format: PageTableFormat) throws {
        let table = try format.makeTable(for: Self.set)
        #expect(try table.entries().count == Self.set.count, "the intact table reads back")
        let intact = try table.encodedEntries()
        let spoiled = try corrupted(table)
        #expect(throws: ImageError.self, "entries() of a spoiled \(format.name) table") { try spoiled.entries() }
        do {
            let encoded = try spoiled.encodedEntries()
            #expect(encoded != intact, "encodedEntries() of a spoiled \(format.name) table hides the damage")
        } catch {
            #expect(error.description.contains("0x"), "\(format.name): the error names the culprit: \(error)")
        }
        if format.name == "ia64-vhpt-long" || format.name == "ppc64-hpt" {
            #expect(throws: ImageError.self, "the footprint of a spoiled \(format.name) table") { try spoiled.footprint }
        }
    }
}
