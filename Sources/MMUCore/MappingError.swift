/// Why an operation on a translation set was refused. Each case names the culprit.
///
/// Thrown (typed) by the validation in ``TranslationSet/Transaction``; nothing is changed by an
/// operation that throws one.
public enum MappingError: Error, Hashable, Sendable {
    /// The address is not a multiple of the page size.
    case misaligned(VirtualAddress, PageSize)
    /// The frame address is not a multiple of the page size.
    case misalignedFrame(PhysicalAddress, PageSize)
    /// A range length that is not a multiple of 4 KiB.
    case misalignedLength(VirtualAddress, byteCount: UInt64)
    /// A range of zero bytes.
    case emptyRange(VirtualAddress)
    /// The range would pass the end of the 64-bit address space.
    case addressOverflow(VirtualAddress, byteCount: UInt64)
    /// The set's architecture cannot map pages of this size.
    case unsupportedPageSize(PageSize, architecture: String)
    /// The virtual address (or the page starting there) is not canonical for the architecture.
    case nonCanonical(VirtualAddress, architecture: String)
    /// The frame lies beyond the architecture's physical address width.
    case frameOutOfRange(PhysicalAddress, architecture: String)
    /// The page lies in the part of its region that the architecture's own page table occupies
    /// (the IA-64 short format's linear table window).
    case insideTableWindow(VirtualAddress, architecture: String)
    /// The entry would share its size domain (IA-64 region, PowerPC segment) with an entry of
    /// another page size, which the architecture cannot encode.
    case mixedPageSizes(MMUEntry, existing: MMUEntry, domain: VirtualRange, architecture: String)
    /// The new entry overlaps an existing one (map without replacing).
    case overlap(MMUEntry, existing: MMUEntry)
    /// Nothing is mapped at the address, but the operation needs a mapping there.
    case notMapped(VirtualAddress)
    /// The range cuts a larger page in two and the operation was not allowed to demote it.
    case cutsLargePage(MMUEntry, VirtualRange)
    /// The address is inside an entry but not at its start.
    case notEntryStart(VirtualAddress, MMUEntry)
    /// A promotion range is not fully mapped.
    case promotionIncomplete(VirtualRange, missing: VirtualAddress)
    /// Two pages of a promotion range differ in protection, cache mode or global bit.
    case promotionUnlike(MMUEntry, MMUEntry)
    /// A page of a promotion range is not at the frame that physical contiguity requires.
    case promotionNotContiguous(MMUEntry, expected: PhysicalAddress)
    /// A global entry would overlap an entry private to another set.
    case globalConflict(MMUEntry, set: String)
    /// The named translation set does not exist.
    case unknownSet(String)
    /// A translation set of that name exists already.
    case setExists(String)
    /// A repeat count of zero.
    case zeroCount(VirtualAddress)
    /// A new memory area overlaps one that stays.
    case areaOverlap(MemoryArea, existing: MemoryArea)
}

extension MappingError: CustomStringConvertible {
    /// A sentence naming the address or entry and the reason.
    public var description: String {
        switch self {
        case .misaligned(let address, let size):
            "address \(address) is not aligned to \(size)"
        case .misalignedFrame(let address, let size):
            "frame \(address) is not aligned to \(size)"
        case .misalignedLength(let start, let byteCount):
            "length 0x\(String(byteCount, radix: 16)) at \(start) is not a multiple of 4KiB"
        case .emptyRange(let start):
            "empty range at \(start)"
        case .addressOverflow(let start, let byteCount):
            "range at \(start) of 0x\(String(byteCount, radix: 16)) bytes passes the end of the address space"
        case .unsupportedPageSize(let size, let architecture):
            "page size \(size) is not supported by \(architecture)"
        case .nonCanonical(let address, let architecture):
            "address \(address) is not canonical for \(architecture)"
        case .frameOutOfRange(let address, let architecture):
            "frame \(address) is beyond the physical address width of \(architecture)"
        case .mixedPageSizes(let entry, let existing, let domain, let architecture):
            "\(entry) would mix page sizes with \(existing) in \(domain), where \(architecture) maps one page size"
        case .insideTableWindow(let address, let architecture):
            "\(address) lies in the top 4 TiB of its region, which the \(architecture) linear page table occupies"
        case .overlap(let entry, let existing):
            "\(entry) overlaps the existing entry \(existing)"
        case .notMapped(let address):
            "nothing is mapped at \(address)"
        case .cutsLargePage(let entry, let range):
            "range \(range) cuts the \(entry.size) page \(entry); allow demotion to split it"
        case .notEntryStart(let address, let entry):
            "address \(address) is inside the entry \(entry), not at its start"
        case .promotionIncomplete(let range, let missing):
            "cannot promote \(range): nothing is mapped at \(missing)"
        case .promotionUnlike(let first, let other):
            "cannot promote: \(other) differs from \(first) in protection, cache mode or global bit"
        case .promotionNotContiguous(let entry, let expected):
            "cannot promote: \(entry) is not at frame \(expected), so the frames are not contiguous and aligned"
        case .globalConflict(let entry, let set):
            "global entry \(entry) would overlap an entry private to set '\(set)'"
        case .unknownSet(let name):
            "no translation set named '\(name)'"
        case .setExists(let name):
            "a translation set named '\(name)' exists already"
        case .zeroCount(let address):
            "access count of zero at \(address)"
        case .areaOverlap(let area, let existing):
            "memory area \(area.range) overlaps the existing area \(existing.range) \(existing.name)"
        }
    }
}
