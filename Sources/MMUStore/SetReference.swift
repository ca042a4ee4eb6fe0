/// A version of a set as people write it: `[FILE:]SET[@SNAPSHOT|@GENERATION]`.
///
/// `FILE` names another store file (another run's); without it, the reference means the store
/// at hand. See ``TranslationStore/difference(from:to:defaultPath:ignoringFrames:ignoringAreas:)``
/// for how a reference to another file is opened.
public struct SetReference: Hashable, Sendable, CustomStringConvertible {
    /// The store file, when the reference names one.
    public var file: String?
    /// The set's name.
    public var set: String
    /// The version of the set.
    public var version: TranslationStore.Version

    /// Creates a reference.
    public init(file: String? = nil, set: String, version: TranslationStore.Version = .head) {
        self.file = file
        self.set = set
        self.version = version
    }

    /// Parses `[FILE:]SET[@SNAPSHOT|@GENERATION]`: the text before the last `:` is the file,
    /// digits after `@` a generation, any other text after `@` a snapshot.
    ///
    /// - Throws: ``ParseError`` for an empty set name or nothing after `@`.
    public init(parsing argument: String) throws(ParseError) {
        var rest = Substring(argument)
        if let colon = rest.lastIndex(of: ":") {
            file = String(rest[..<colon])
            rest = rest[rest.index(after: colon)...]
        } else {
            file = nil
        }
        let parts = rest.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        guard let name = parts.first, !name.isEmpty else { throw .noSetName }
        set = String(name)
        if parts.count > 1, parts[1].isEmpty { throw .nothingAfterAt(set: set) }
        version = TranslationStore.Version(parts.count > 1 ? String(parts[1]) : nil)
    }

    /// The reference as it is written: `[FILE:]SET[@SNAPSHOT|@GENERATION]`.
    public var description: String {
        (file.map { "\($0):" } ?? "") + set + {
            switch version {
            case .head: ""
            case .generation(let generation): "@\(generation)"
            case .snapshot(let name): "@\(name)"
            }
        }()
    }

    /// Why a reference could not be read, with the spelling that works.
    public enum ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        /// Nothing before `@` (or after `FILE:`).
        case noSetName
        /// `SET@` with nothing after the `@`.
        case nothingAfterAt(set: String)

        /// The reason and the spellings that work.
        public var description: String {
            switch self {
            case .noSetName: "no set name: write SET, SET@SNAPSHOT or SET@GENERATION"
            case .nothingAfterAt(let set): "nothing after '@': write \(set) for the head, \(set)@SNAPSHOT or \(set)@GENERATION"
            }
        }
    }
}
