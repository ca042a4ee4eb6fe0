/// Why an example could not run at all (its setup failed).
struct ExampleError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
