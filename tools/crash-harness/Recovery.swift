import MMUStore

/// What a store file looks like after a crash, a fault or a power cut, opened again the way
/// a restarted program would: once, with no retry.
public struct Recovery: Sendable {
    /// The error of the first and only open, when it failed (a violation of I1).
    public var openError: StoreError?
    /// The findings of `check(deep: true)` (integrity_check and every store invariant).
    public var report: CheckReport?
    /// The last sequence number in the log.
    public var lastSequence: Int64?
    /// The whole content, when the store opened.
    public var fingerprint: StoreFingerprint?

    /// Opens the store at `path` with `durability` (default VFS), checks it deeply, reads its
    /// last sequence and, when `fingerprinting`, its whole content; then closes it.
    package init(path: String, durability: TranslationStore.Durability, fingerprinting: Bool = true) {
        do {
            let store = try TranslationStore(path: path, vfs: nil, durability: durability)
            report = try store.check(deep: true)
            lastSequence = try store.lastSequence()
        } catch {
            openError = error
            return
        }
        if fingerprinting {
            do {
                fingerprint = try StoreFingerprint(path: path)
            } catch {
                openError = StoreError(.io, "the recovered store could not be read for its fingerprint: \(error)")
            }
        }
    }

    /// The violations of I1 (opens, integrity and invariants sound), one line each.
    public var problems: [String] {
        if let openError { return ["the store did not open on the first try: \(openError.detailedDescription())"] }
        return (report?.problems ?? []).map { "check(deep: true): \($0)" }
    }
}
