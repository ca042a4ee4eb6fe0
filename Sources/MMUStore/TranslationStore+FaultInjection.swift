import Foundation

extension TranslationStore {
    /// Opens the store at `path` through the SQLite VFS named `vfs`, with the given durability:
    /// the door the crash tests and tools use to run the store over a fault-injecting VFS and
    /// with each setting of the configuration matrix. Not for applications.
    ///
    /// The path is made absolute and checked exactly as ``init(path:creatingIfMissing:)`` does;
    /// only then is it turned into the URI `file:PATH?vfs=NAME` (SQLite on this platform is
    /// built to read URIs), so a `file:` prefix in `path` itself still means a file name.
    ///
    /// - Parameters:
    ///   - vfs: The name of a registered SQLite VFS (letters, digits, `-` and `_`), or `nil`
    ///     for the default one.
    ///   - durability: The journal mode and `synchronous` level of the writer.
    /// - Throws: ``StoreError`` as ``init(path:creatingIfMissing:)``, and `invalidName` for a
    ///   VFS name outside that alphabet.
    package init(path: String, creatingIfMissing: Bool = false, vfs: String?, durability: Durability) throws(StoreError) {
        try self.init(absolutePath: Self.absolutePath(path), creatingIfMissing: creatingIfMissing, vfs: vfs, durability: durability)
    }

    /// What SQLite is given to open the absolute path `absolute`: the path itself, or a
    /// `file:` URI naming the VFS, with the path percent-encoded.
    static func location(of absolute: String, vfs: String?) throws(StoreError) -> String {
        guard let vfs else { return absolute }
        guard !vfs.isEmpty, vfs.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw StoreError(.invalidName, "'\(vfs)' is not a valid SQLite VFS name (letters, digits, - and _)")
        }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-._~")
        guard let encoded = absolute.addingPercentEncoding(withAllowedCharacters: allowed) else {
            throw StoreError(.invalidName, "the path \(absolute) cannot be written as an SQLite URI")
        }
        return "file:\(encoded)?vfs=\(vfs)"
    }
}

extension TranslationStore {
    /// Calls `willCommit` each time the writer connection is about to commit a write
    /// transaction: from SQLite's commit hook, after `COMMIT` was sent and before it is
    /// written, so a crash tool can tell a process killed inside a commit from one killed
    /// inside the transaction's statements. Not for applications: `willCommit` runs on the
    /// writer's queue in the middle of the commit and must only record that it was called.
    package func observeCommits(_ willCommit: @escaping @Sendable () -> Void) {
        writer.writeWithoutTransaction { db in
            db.add(transactionObserver: CommitObserver(willCommit: willCommit), extent: .databaseLifetime)
        }
    }
}
