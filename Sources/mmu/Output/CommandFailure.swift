/// A failure to report as `Error: message` with exit status 1, without the usage text that
/// ArgumentParser adds to a `ValidationError`.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
