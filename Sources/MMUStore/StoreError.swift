import GRDB
import MMUCore

/// An error from the translation store: a code to match on, a message naming the culprit,
/// and the underlying cause (a ``MappingError`` or a SQLite `DatabaseError`) when there is one.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public var code: Code
    /// A sentence naming the set, snapshot, file or entry and the reason.
    public var message: String
    /// The error that caused this one.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// The message.
    public var description: String { message }

    /// The message followed by the chain of causes, one per line.
    public func detailedDescription() -> String {
        var lines = ["\(code): \(message)"]
        if let cause { lines.append("  caused by: \(cause)") }
        return lines.joined(separator: "\n")
    }

    /// A failure kind. Extensible: new codes are not source-breaking.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String {
            case notFound, alreadyExists, invalidName, invalidData, conflict, notAStore, newerSchema, outdatedSchema, alteredSchema, mapping,
                compacted, io, busy, readOnly, untrustedFile
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// No set, snapshot, generation or file by that name.
        public static let notFound = Code(.notFound)
        /// A set or snapshot by that name exists already.
        public static let alreadyExists = Code(.alreadyExists)
        /// A name that sets or snapshots cannot have.
        public static let invalidName = Code(.invalidName)
        /// Stored data that violates the schema's meaning (a damaged or edited file).
        public static let invalidData = Code(.invalidData)
        /// The set moved on since the generation the caller expected.
        public static let conflict = Code(.conflict)
        /// The file is not an MMUStore database.
        public static let notAStore = Code(.notAStore)
        /// The file was written by a newer MMUStore whose schema this program does not know.
        public static let newerSchema = Code(.newerSchema)
        /// The file needs migrations this program would apply when opening it for writing, and
        /// it was opened for reading only.
        public static let outdatedSchema = Code(.outdatedSchema)
        /// The file's tables, indexes, views or triggers are not the ones MMUStore's migrations
        /// make (something was added or changed by hand), so mmu refuses to write to it.
        public static let alteredSchema = Code(.alteredSchema)
        /// An mmu operation was refused (the cause is a ``MappingError``).
        public static let mapping = Code(.mapping)
        /// The generation asked for was compacted away.
        public static let compacted = Code(.compacted)
        /// SQLite reported an I/O or other database error.
        public static let io = Code(.io)
        /// The database stayed locked by another writer past the busy timeout.
        public static let busy = Code(.busy)
        /// The set cannot be changed this way (the global set, a read-only store).
        public static let readOnly = Code(.readOnly)
        /// A file from elsewhere was rejected by the safe opener; the message names the stage.
        public static let untrustedFile = Code(.untrustedFile)

        /// The code's name.
        public var description: String { kind.rawValue }
    }
}

extension StoreError {
    /// Wraps any error thrown inside a store operation into a ``StoreError``.
    static func wrapping(_ error: any Error) -> StoreError {
        switch error {
        case let error as StoreError:
            return error
        case let error as MappingError:
            return StoreError(.mapping, error.description, cause: error)
        case let error as DatabaseError:
            let code: Code = error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED ? .busy : .io
            return StoreError(code, "database error: \(error.message ?? "\(error.resultCode)")", cause: error)
        default:
            return StoreError(.io, "\(error)", cause: UncheckedError(description: "\(error)"))
        }
    }
}

/// The description of a non-Sendable error, kept as a cause.
struct UncheckedError: Error, Sendable, CustomStringConvertible {
    let description: String
}
