import MMUCore

/// The `manifest.json` of an exported image: what a walker needs besides the memory.
///
/// 64-bit values are written as `0x`-prefixed hexadecimal strings (JSON numbers lose
/// precision above 2^53 in many readers).
public struct ImageManifest: Codable, Hashable, Sendable {
    /// The format name (`x86_64-4level`, `ia64-vhpt-long`, …).
    public var format: String
    /// The root register value(s): `cr3`; `ttbr0_el1` and `ttbr1_el1`; `satp`; `pta`; `sdr1`.
    public var root: [String: String]
    /// The other control registers the tables are meant to be walked under (`cr0`, `cr4`,
    /// `efer`, `pat`; `tcr_el1`, `mair_el1`, `sctlr_el1`; `sstatus`; `rr0`…`rr7`; …).
    public var registers: [String: String]
    /// Format parameters that are not registers (hash functions with their definitions, the
    /// hashed address bits, the IA-64 chain link word and miss handler, PowerPC LP codes,
    /// implemented address bits, segment size, VSID scheme; ExportFormat.md lists them).
    public var parameters: [String: String]
    /// The physical address of every table page, ascending.
    public var tablePages: [String]
    /// The number of canonical entries encoded.
    public var entries: Int
    /// `little` or `big`: the byte order of table entries in `memory.img`.
    public var byteOrder: String
    /// The size of a table page in bytes (4096).
    public var pageSize: Int
    /// IA-64 short format: where each virtual page of a region's linear table is backed.
    public var tableMappings: [TableMapping]?
    /// PowerPC: the segments (SLB entries) in use.
    public var segments: [Segment]?

    /// A virtual page of a linear table and the physical table page behind it.
    public struct TableMapping: Codable, Hashable, Sendable {
        /// The virtual address of the table page (in the VHPT window of its region).
        public var virtual: String
        /// The physical address of the table page.
        public var physical: String

        /// Creates a mapping.
        public init(virtual: String, physical: String) {
            self.virtual = virtual
            self.physical = physical
        }
    }

    /// A PowerPC segment: ESID, its VSID, and its base page size.
    public struct Segment: Codable, Hashable, Sendable {
        /// The effective segment ID (EA >> 28).
        public var esid: String
        /// The virtual segment ID.
        public var vsid: String
        /// The segment's base page size in bytes.
        public var pageSize: Int

        /// Creates a segment record.
        public init(esid: String, vsid: String, pageSize: Int) {
            self.esid = esid
            self.vsid = vsid
            self.pageSize = pageSize
        }
    }

    /// Creates a manifest.
    public init(
        format: String, root: [String: String], registers: [String: String], parameters: [String: String],
        tablePages: [String], entries: Int, byteOrder: String, pageSize: Int = 4096,
        tableMappings: [TableMapping]? = nil, segments: [Segment]? = nil
    ) {
        self.format = format
        self.root = root
        self.registers = registers
        self.parameters = parameters
        self.tablePages = tablePages
        self.entries = entries
        self.byteOrder = byteOrder
        self.pageSize = pageSize
        self.tableMappings = tableMappings
        self.segments = segments
    }

    /// `0x…` for a value.
    static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

    /// Parses `0x…` hexadecimal or decimal text.
    static func value(_ text: String) -> UInt64? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return UInt64(text.dropFirst(2), radix: 16) }
        return UInt64(text)
    }

    /// Every root register, parsed.
    ///
    /// - Throws: ``ImageError/malformedManifest(_:)`` for a value that is not a number.
    func rootValues() throws(ImageError) -> [String: UInt64] { try Self.parse(root, "root") }

    /// Every control register, parsed.
    func registerValues() throws(ImageError) -> [String: UInt64] { try Self.parse(registers, "registers") }

    /// Every parameter, parsed as a number where it is one.
    func parameterValue(_ name: String) throws(ImageError) -> UInt64 {
        guard let text = parameters[name] else { throw .missingRegister(name) }
        guard let value = Self.value(text) else { throw .malformedManifest("parameters.\(name) = '\(text)' is not a number") }
        return value
    }

    private static func parse(_ values: [String: String], _ field: String) throws(ImageError) -> [String: UInt64] {
        var result: [String: UInt64] = [:]
        for (name, text) in values {
            guard let value = value(text) else { throw .malformedManifest("\(field).\(name) = '\(text)' is not a number") }
            result[name] = value
        }
        return result
    }
}
