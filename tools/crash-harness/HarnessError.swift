/// A failure of the crash harness itself (a worker that would not start, a line it could not
/// read), as opposed to a violation found in the store.
public struct HarnessError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, naming the worker, file or line.
    public var description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
