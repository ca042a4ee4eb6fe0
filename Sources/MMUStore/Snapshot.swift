/// A snapshot: a cheap name for one generation of a set (and the global generation it sees).
public struct Snapshot: Hashable, Sendable, Codable {
    /// The snapshot's name, unique within its set.
    public var name: String
    /// The set it belongs to.
    public var setName: String
    /// The set's generation it names (-1: before the first transaction).
    public var generation: Int64
    /// The global set's generation it includes.
    public var globalGeneration: Int64
    /// When it was taken (ISO 8601, UTC).
    public var createdAt: String
    /// What the tool that took it saved with it (JSON text), if anything.
    public var metadata: String?
    /// Whether it kept a copy of the set's access bits and page counters (which are
    /// unversioned), for a restore or duplicate from it to start from them.
    public var keepsActivity: Bool
}
