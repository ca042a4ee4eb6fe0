import MMUCore

/// Why an exported image could not be written or read back. Each case names the culprit.
public enum ImageError: Error, Hashable, Sendable {
    /// A file could not be read (missing, unreadable).
    case unreadable(path: String, reason: String)
    /// A file could not be written.
    case unwritable(path: String, reason: String)
    /// `manifest.json` is not valid JSON of the expected shape; the text says where.
    case malformedManifest(String)
    /// The manifest names no known format.
    case unknownFormat(String)
    /// A register or parameter the format needs is missing from the manifest.
    case missingRegister(String)
    /// A register or parameter has a value this library does not write or cannot walk.
    case unsupportedRegisterValue(name: String, value: UInt64)
    /// A control register holds a value that changes translation in a way the canonical model
    /// cannot hold; the reason names the bit.
    case unsupportedRegister(name: String, value: UInt64, reason: String)
    /// An export convention the format has none of.
    case unsupportedConvention(String, format: String)
    /// A leaf's memory type (through the PAT given) has no canonical cache mode (x86 WP).
    case unrepresentableMemoryType(virtualAddress: VirtualAddress, type: String)
    /// A listed table page lies (partly) beyond the end of `memory.img`.
    case truncatedImage(pageAddress: PhysicalAddress, imageBytes: UInt64)
    /// The manifest lists more table pages than `memory.img` holds: more than its length, or
    /// more than its allocated bytes plus ``PageTableImage/holeAllowance`` (a sparse file).
    case tooManyTablePages(count: Int, imageBytes: UInt64, allocatedBytes: UInt64)
    /// A listed table page address is not 4 KiB aligned.
    case misalignedTablePage(PhysicalAddress)
    /// A table entry points at a frame that is not a listed table page.
    case tablePointerOutsideTables(entryAddress: PhysicalAddress, target: PhysicalAddress)
    /// Following table pointers leads back to a table on the same path.
    case tableLoop(PhysicalAddress)
    /// Two entries point at the same table page (shared subtrees are not imported).
    case sharedTable(PhysicalAddress)
    /// A present entry has reserved bits set or an impossible encoding.
    case malformedEntry(entryAddress: PhysicalAddress, bits: UInt64)
    /// The manifest's entry count differs from the entries found in the tables.
    case entryCountMismatch(manifest: Int, found: Int)
    /// The entries found cannot form a translation set (they overlap).
    case overlappingEntries(MMUEntry, MMUEntry)
}

extension ImageError: CustomStringConvertible {
    /// A sentence naming the culprit.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .unwritable(let path, let reason): "cannot write \(path): \(reason)"
        case .malformedManifest(let reason): "malformed manifest.json: \(reason)"
        case .unknownFormat(let name): "unknown page-table format '\(name)'"
        case .missingRegister(let name): "manifest lacks '\(name)'"
        case .unsupportedRegisterValue(let name, let value): "unsupported value 0x\(String(value, radix: 16)) for '\(name)'"
        case .unsupportedRegister(let name, let value, let reason): "cannot walk under \(name) = 0x\(String(value, radix: 16)): \(reason)"
        case .unsupportedConvention(let convention, let format):
            "the \(convention) convention is written for x86_64-4level, x86_64-5level, the aarch64 and the riscv formats, not \(format)"
        case .unrepresentableMemoryType(let address, let type):
            "the leaf at \(address) has memory type \(type), which no canonical cache mode holds"
        case .truncatedImage(let page, let bytes):
            "table page \(page) lies beyond the end of memory.img (0x\(String(bytes, radix: 16)) bytes)"
        case .tooManyTablePages(let count, let bytes, let allocated):
            "the manifest lists \(count) table pages (\(UInt64(count) * 4096) bytes), more than memory.img holds: "
                + "\(bytes) bytes long, \(allocated) bytes allocated, and at most \(PageTableImage.holeAllowance) bytes of listed pages may be holes"
        case .misalignedTablePage(let page): "table page address \(page) is not 4 KiB aligned"
        case .tablePointerOutsideTables(let entry, let target):
            "entry at \(entry) points at \(target), which is not a table page of the image"
        case .tableLoop(let page): "table pointers loop back to the table at \(page)"
        case .sharedTable(let page): "the table at \(page) is referenced twice"
        case .malformedEntry(let entry, let bits): "entry at \(entry) has reserved bits or a bad encoding: 0x\(String(bits, radix: 16))"
        case .entryCountMismatch(let manifest, let found): "manifest says \(manifest) entries, the tables hold \(found)"
        case .overlappingEntries(let first, let second): "imported entries overlap: \(first) and \(second)"
        }
    }
}
