// mmu-doc-examples NAME: runs one Swift example of README.md or the DocC articles in the current
// directory. The code between each "example NAME begins" and "example ends" line is the
// documentation's block verbatim (less its imports and indentation); NewcomerTests checks that
// and runs every example where the documentation's commands run.
import Foundation

let examples: [String: () throws -> Void] = [
    "readme-library": DocumentationExamples.readmeLibrary,
    "readme-sets": DocumentationExamples.readmeSets,
    "mmucore": DocumentationExamples.mmuCore,
    "mmustore": DocumentationExamples.mmuStore,
    "mmuarchitectures": DocumentationExamples.mmuArchitectures,
    "mmusimulation": DocumentationExamples.mmuSimulation,
]

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 1, let name = arguments.first, let example = examples[name] else {
    FileHandle.standardError.write(Data("usage: mmu-doc-examples \(examples.keys.sorted().joined(separator: "|"))\n".utf8))
    exit(2)
}
do {
    try example()
} catch {
    FileHandle.standardError.write(Data("example \(name) failed: \(error)\n".utf8))
    exit(1)
}
