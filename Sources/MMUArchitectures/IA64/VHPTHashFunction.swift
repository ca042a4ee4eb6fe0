/// The implementation-specific hash and tag functions of the IA-64 long-format VHPT, as a
/// parameter (HARDWARE-FORMATS.md §5: "there is no portable closed form").
///
/// Both take the hashed page number (`VA[50:0] >> RR.ps`) and the region ID. The tag must be
/// invertible (``pageAndRegion(ofTag:)``), so that an image can be read back; the pair (hash
/// index, tag) identifies a translation.
public struct VHPTHashFunction: Hashable, Sendable, CustomStringConvertible {
    /// The name recorded in the manifest (`parameters.hash`).
    public let name: String
    /// Whether this is ``ski``, computed inline rather than through the closures.
    private let isSki: Bool
    private let hashBody: @Sendable (UInt64, UInt64) -> UInt64
    private let tagBody: @Sendable (UInt64, UInt64) -> UInt64
    private let inverseBody: @Sendable (UInt64) -> (page: UInt64, region: UInt64)
    /// The definition the manifest records beside the name (`hash.*` parameters), so that a
    /// reader can compute the functions without knowing the name; empty when none was given.
    public let definition: [String: String]

    /// Creates a hash function pair.
    ///
    /// - Parameters:
    ///   - name: The name the manifest records; reading an image needs the same name.
    ///   - hash: `(hpn, rid) -> index` (masked by the table size afterwards).
    ///   - tag: `(hpn, rid) -> tag` (63 bits; bit 63 is the invalid-tag bit).
    ///   - inverse: `tag -> (hpn, rid)`.
    ///   - definition: `hash.*` parameters defining the pair for the manifest (see
    ///     ``ski``'s), or empty when only the name identifies it.
    public init(
        name: String, hash: @escaping @Sendable (UInt64, UInt64) -> UInt64,
        tag: @escaping @Sendable (UInt64, UInt64) -> UInt64,
        inverse: @escaping @Sendable (UInt64) -> (page: UInt64, region: UInt64),
        definition: [String: String] = [:]
    ) {
        self.name = name
        self.definition = definition
        self.isSki = false
        self.hashBody = hash
        self.tagBody = tag
        self.inverseBody = inverse
    }

    /// The Ski simulator's model ("the oldest implementation"): `hash = hpn XOR rid`,
    /// `tag = hpn XOR (rid << 39)`; the default. Its manifest definition is the family
    /// `xor-shift` (`index = hpn XOR (rid << hash.indexRIDShift)`, `tag = (hpn XOR
    /// (rid << hash.tagRIDShift))` with bit 63 clear) with shifts 0 and 39.
    public static let ski = VHPTHashFunction(ski: ())

    private init(ski: Void) {
        self.name = "ski"
        self.definition = ["hash.definition": "xor-shift", "hash.indexRIDShift": "0", "hash.tagRIDShift": "39"]
        self.isSki = true
        self.hashBody = { page, region in page ^ region }
        self.tagBody = { page, region in (page ^ (region << 39)) & ~(1 << 63) }
        self.inverseBody = { tag in (tag & ((1 << 39) - 1), tag >> 39) }
    }

    /// The hash of a page number in a region.
    @inline(__always)
    public func hash(page: UInt64, region: UInt64) -> UInt64 { isSki ? page ^ region : hashBody(page, region) }

    /// The tag of a page number in a region (bit 63, ti, clear).
    @inline(__always)
    public func tag(page: UInt64, region: UInt64) -> UInt64 {
        isSki ? (page ^ (region << 39)) & ~(1 << 63) : tagBody(page, region)
    }

    /// The page number and region ID a tag stands for.
    public func pageAndRegion(ofTag tag: UInt64) -> (page: UInt64, region: UInt64) { inverseBody(tag) }

    /// The functions known by name, for reading images.
    public static let known: [VHPTHashFunction] = [.ski]

    /// Functions are equal when their names are: the name is their identity in manifests.
    public static func == (lhs: VHPTHashFunction, rhs: VHPTHashFunction) -> Bool { lhs.name == rhs.name }

    /// Hashes the name.
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// The name.
    public var description: String { name }
}
