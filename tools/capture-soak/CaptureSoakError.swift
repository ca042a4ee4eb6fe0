/// A target that did not start as expected.
struct CaptureSoakError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
