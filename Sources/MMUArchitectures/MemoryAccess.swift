/// The kind of memory access a translation is checked for.
public enum MemoryAccess: String, CaseIterable, Hashable, Sendable, Codable {
    /// A load.
    case read
    /// A store.
    case write
    /// An instruction fetch.
    case execute
}
