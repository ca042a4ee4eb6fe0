/// How the processor caches accesses through a translation.
///
/// Each adapter maps these onto its hardware field (the x86 PAT index, the AArch64 MAIR index,
/// the IA-64 `ma` field, PowerPC WIMG bits, RISC-V PBMT) and documents the mapping.
public enum CacheMode: String, CaseIterable, Hashable, Sendable, Codable {
    /// Normal cacheable memory (write-back). The default.
    case writeBack = "wb"
    /// Cacheable, writes go through to memory.
    case writeThrough = "wt"
    /// Uncached, writes may be combined (frame buffers).
    case writeCombining = "wc"
    /// Uncached, strongly ordered (device registers).
    case uncached = "uc"

    /// The value stored in the database.
    public var storedValue: Int {
        switch self {
        case .writeBack: 0
        case .writeThrough: 1
        case .writeCombining: 2
        case .uncached: 3
        }
    }

    /// The mode for a stored value, or `nil` when the value is not one.
    public init?(storedValue: Int) {
        guard let mode = Self.allCases.first(where: { $0.storedValue == storedValue }) else { return nil }
        self = mode
    }
}
