/// The Swift examples of the documentation, one function each, in the files beside this one.
enum DocumentationExamples {}
