@testable import MMUSimulation
import Testing

/// The batch's table of page slots finds every page it was given, through its growth, and no other.
struct PageSlotsTests {
    @Test func everyPageGivenIsFoundThroughGrowthAndNoOther() {
        var slots = PageSlots()
        // Pages a region apart, neighbours, and the highest page numbers an address can have.
        let apart: [UInt64] = (0..<3000).map { UInt64($0) * 512 }
        let neighbours: [UInt64] = (1..<1000).map { 0x7f_ffff_0000 + UInt64($0) }
        let pages = apart + neighbours + [(1 << 52) - 1]
        for (slot, page) in pages.enumerated() { slots.insert(page, slot: slot) }
        #expect(slots.count == pages.count)
        #expect(pages.enumerated().allSatisfy { slots.slot(of: $0.element) == $0.offset })
        let others: [UInt64] = [1, 513, 0x7f_ffff_0000, 1 << 52]
        #expect(others.allSatisfy { slots.slot(of: $0) == nil })
    }
}
