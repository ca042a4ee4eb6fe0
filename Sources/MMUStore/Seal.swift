import Foundation
import MMUCore

/// The hashes that make changes to the store's small tables and unversioned state detectable:
/// a seal per set and snapshot row, a chain through the transaction log, and a digest of each
/// set's access bits and page counters. Together with the content digests of the versioned rows
/// they are the application-level digest that catches rows changed behind the store's back
/// even when SQLite finds the file sound.
enum Seal {
    /// Mixes fields into one 64-bit hash (order matters).
    static func combine(_ fields: [UInt64]) -> UInt64 {
        var hash: UInt64 = 0x6A09_E667_F3BC_C908
        for field in fields {
            hash ^= field &* 0x9E37_79B9_7F4A_7C15
            hash = (hash ^ (hash >> 30)) &* 0xBF58_476D_1CE4_E5B9
            hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
            hash ^= hash >> 31
        }
        return hash
    }

    /// FNV-1a of text (`nil` hashes apart from every string).
    static func text(_ value: String?) -> UInt64 {
        guard let value else { return 0x5BD1_E995_0000_0001 }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in value.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    static func integer(_ value: Int64) -> UInt64 { UInt64(bitPattern: value) }

    /// A set row's seal.
    static func set(id: Int64, name: String, architecture: String?, createdAt: String, compactedThrough: Int64) -> UInt64 {
        combine([1, integer(id), text(name), text(architecture), text(createdAt), integer(compactedThrough)])
    }

    /// A snapshot row's seal.
    static func snapshot(
        setID: Int64, name: String, generation: Int64, globalGeneration: Int64, createdAt: String, metadata: String?, activityDigest: Int64?
    ) -> UInt64 {
        combine(
            [2, integer(setID), text(name), integer(generation), integer(globalGeneration), text(createdAt), text(metadata)]
                + (activityDigest.map { [integer($0)] } ?? []))
    }

    /// The hash of an `entryState` row.
    static func accessState(setID: Int64, page: Int64, accessed: Bool, dirty: Bool) -> UInt64 {
        combine([3, integer(setID), integer(page), accessed ? 1 : 0, dirty ? 1 : 0])
    }

    /// The hash of a `pageActivity` row.
    static func activity(setID: Int64, page: Int64, accesses: Int64, writes: Int64, faults: Int64, first: Int64, last: Int64) -> UInt64 {
        combine([4, integer(setID), integer(page), integer(accesses), integer(writes), integer(faults), integer(first), integer(last)])
    }

    /// The timestamp format of every `createdAt` and `committedAt` (ISO 8601, UTC, milliseconds).
    static func now() -> String { Date().formatted(timestampStyle) }

    /// A value style, made once: an `ISO8601DateFormatter` made per call cost 68 µs a commit.
    private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
}
