/// Where in a trace a simulation was: after which line, at which byte, and a fingerprint of
/// the bytes before it, so that the same trace can be recognised later and read on from there.
public struct TracePosition: Hashable, Sendable, Codable {
    /// The trace's file path (or the name given to text), as the run was given it.
    public var file: String
    /// The lines read through (the next line read is `line + 1`).
    public var line: Int
    /// The offset of the first byte not read yet.
    public var byteOffset: UInt64
    /// A hash (FNV-1a, 64 bits) of the up to ``fingerprintLength`` bytes before ``byteOffset``.
    public var fingerprint: UInt64

    /// How many bytes before the position the fingerprint covers.
    public static let fingerprintLength = 4096

    /// Creates a position.
    public init(file: String, line: Int, byteOffset: UInt64, fingerprint: UInt64) {
        self.file = file
        self.line = line
        self.byteOffset = byteOffset
        self.fingerprint = fingerprint
    }

    /// The fingerprint of the bytes before a position.
    static func fingerprint(of bytes: [UInt8]) -> UInt64 {
        bytes.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
    }
}
