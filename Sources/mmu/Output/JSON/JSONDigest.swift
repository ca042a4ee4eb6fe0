/// A 64-bit digest as JSON text: its unsigned decimal value, exact where a JSON number would not be.
enum JSONDigest {
    static func text(_ digest: UInt64) -> String { String(digest) }
}
