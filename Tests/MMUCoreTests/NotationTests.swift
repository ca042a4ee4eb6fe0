import Foundation
@testable import MMUCore
import Testing

/// The notations people write: protections, sizes and lengths, addresses; and the suggestions
/// for misspelled names.
struct NotationTests {
    @Test(arguments: [("rw-u", 0b1011), ("r-x-", 0b0101), ("----", 0), ("rwxu", 0b1111), ("---u", 0b1000)])
    func parsesFourPositionProtections(text: String, bits: UInt8) throws {
        #expect(try Protection(parsing: text).rawValue == bits)
    }

    @Test(arguments: [
        ("rw", "'rw' is not a protection: write four positions rwxu with - for an absent right, e.g. rw-u for user pages or rw-- for kernel pages"),
        ("", "'' is not a protection: write four positions rwxu with - for an absent right, e.g. rw-u for user pages or rw-- for kernel pages"),
        ("r-x-u", "'r-x-u' is not a protection: write four positions rwxu with - for an absent right, e.g. r-xu"),
        ("rx", "'rx' is not a protection: write four positions rwxu with - for an absent right, e.g. r-xu for user pages or r-x- for kernel pages"),
        ("wr-u", "'wr-u' is not a protection: write four positions rwxu with - for an absent right, e.g. rw-u"),
        ("rwq-", "'rwq-' is not a protection: write four positions rwxu with - for an absent right, e.g. rw-u for user pages or rw-- for kernel pages"),
        ("RW-U", "'RW-U' is not a protection: write four positions rwxu with - for an absent right, e.g. rw-u for user pages or rw-- for kernel pages"),
    ])
    func refusesOtherProtectionsWithTheSpelling(text: String, message: String) {
        #expect(throws: NotationError.protection(text)) { try Protection(parsing: text) }
        #expect(NotationError.protection(text).description == message)
        #expect(Protection(text) == nil)
    }

    @Test func decodingRefusesAShortProtection() {
        let entry = #"{"va":"0x1000","pa":"0x1000","protection":"rw"}"#
        do {
            _ = try JSONDecoder().decode(MMUEntry.self, from: Data(entry.utf8))
            Issue.record("'rw' decoded")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription.contains("rw-u for user pages or rw-- for kernel pages"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    static let byteCounts: [(String, UInt64)] = [
        ("4096", 4096), ("0x2000", 0x2000), ("4K", 4096), ("4k", 4096), ("4KiB", 4096), ("4kib", 4096), ("2M", 0x20_0000),
        ("2MiB", 0x20_0000), ("1G", 0x4000_0000), ("1GiB", 0x4000_0000), ("3T", 0x300_0000_0000), ("1TiB", 0x100_0000_0000),
        ("1_000", 1000), ("0", 0), ("12K", 0x3000),
    ]

    @Test(arguments: byteCounts)
    func parsesByteCounts(text: String, value: UInt64) throws {
        #expect(try ByteCountParser.byteCount(text) == value)
    }

    static let refusedByteCounts: [(String, NotationError)] = [
        ("4KB", .ambiguousUnit("4KB")), ("4kb", .ambiguousUnit("4kb")), ("2MB", .ambiguousUnit("2MB")),
        ("1GB", .ambiguousUnit("1GB")), ("1TB", .ambiguousUnit("1TB")), ("-4096", .negative("-4096")), ("-4K", .negative("-4K")),
        ("1.5M", .notANumber("1.5M")), ("4096B", .notANumber("4096B")), ("K", .notANumber("K")), ("", .notANumber("")),
        ("0x2K", .notANumber("0x2K")), ("4 K", .notANumber("4 K")), ("99999999999999999999", .tooLarge("99999999999999999999")),
        ("16777216T", .tooLarge("16777216T")), ("٤K", .notANumber("٤K")),
    ]

    @Test(arguments: refusedByteCounts)
    func refusesOtherByteCounts(text: String, error: NotationError) {
        #expect(throws: error) { try ByteCountParser.byteCount(text) }
    }

    @Test func ambiguousUnitsShowBothReadings() {
        #expect(NotationError.ambiguousUnit("4KB").description == "'4KB' is ambiguous (4,000 or 4,096 bytes): write 4KiB or 4K")
        #expect(NotationError.ambiguousUnit("2mb").description == "'2mb' is ambiguous (2,000,000 or 2,097,152 bytes): write 2MiB or 2M")
    }

    @Test func pageSizesReadThroughTheByteCountParser() throws {
        #expect(try PageSize(parsing: "2M") == .size2MiB)
        #expect(throws: NotationError.ambiguousUnit("4KB")) { try PageSize(parsing: "4KB") }
        #expect(throws: NotationError.notAPageSize("3K")) { try PageSize(parsing: "3K") }
        #expect(throws: NotationError.notAPageSize("1T")) { try PageSize(parsing: "1T") }
    }

    @Test func batchLengthsReadThroughTheByteCountParser() throws {
        let decoded = try JSONDecoder().decode(TransactionOperation.self, from: Data(#"{"op":"unmap","va":"0x400000","length":"8K"}"#.utf8))
        #expect(decoded == .unmap(VirtualRange(pages: 0x400..<0x402), largePages: .reject))
        for length in [#""8KB""#, "-8192"] {
            #expect(throws: DecodingError.self) {
                try JSONDecoder().decode(TransactionOperation.self, from: Data(#"{"op":"unmap","va":"0x400000","length":\#(length)}"#.utf8))
            }
        }
    }

    @Test func addressesAreHexadecimalWithThePrefixAndDecimalWithout() throws {
        #expect(try VirtualAddress(parsing: "0x400000") == VirtualAddress(0x40_0000))
        #expect(try VirtualAddress(parsing: "4194304") == VirtualAddress(0x40_0000))
        #expect(throws: NotationError.negative("-5")) { try VirtualAddress(parsing: "-5") }
        #expect(throws: NotationError.notAnAddress("4K")) { try PhysicalAddress(parsing: "4K") }
        #expect(throws: NotationError.notAnAddress("400000h")) { try VirtualAddress(parsing: "400000h") }
    }

    @Test func suggestsTheClosestName() {
        #expect(NameSuggestion.closest(to: "mpa", among: ["map", "unmap", "apply"]) == "map")
        #expect(NameSuggestion.closest(to: "craete", among: ["list", "create", "delete"]) == "create")
        #expect(NameSuggestion.closest(to: "strat", among: ["start", "final"]) == "start")
        #expect(NameSuggestion.closest(to: "q", among: ["p"]) == nil)
        #expect(NameSuggestion.closest(to: "totally", among: ["map", "unmap"]) == nil)
        #expect(NameSuggestion.phrase(for: "proces", among: ["process"]) == "; did you mean 'process'?")
        #expect(NameSuggestion.phrase(for: "x", among: []) == "")
    }
}
