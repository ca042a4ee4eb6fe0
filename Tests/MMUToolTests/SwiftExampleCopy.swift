import Foundation

/// The copy of a documented Swift example in tools/doc-examples: the lines between
/// `// example NAME begins` and `// example ends`, which the documentation must show verbatim
/// (less its `import` lines, which must be among the file's, and indentation).
struct SwiftExampleCopy {
    /// The name `mmu-doc-examples` runs it by.
    var name: String
    /// The file it is in.
    var file: String
    /// The file's `import` lines.
    var imports: Set<String>
    /// The example's lines, dedented.
    var body: String

    /// Every copy in tools/doc-examples.
    static func all() throws -> [SwiftExampleCopy] {
        let folder = ExampleRunner.packageRoot.appendingPathComponent("tools/doc-examples")
        var found: [SwiftExampleCopy] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where file.hasSuffix(".swift") {
            found += copies(in: try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8), file: file)
        }
        return found
    }

    /// The copies in one file's text.
    static func copies(in text: String, file: String) -> [SwiftExampleCopy] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let imports = Set(lines.filter { $0.hasPrefix("import ") })
        var copies: [SwiftExampleCopy] = []
        var current: (name: String, lines: [String])?
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let begin = trimmed.wholeMatch(of: /\/\/ example (\S+) begins/) {
                current = (String(begin.1), [])
            } else if trimmed == "// example ends", let open = current {
                copies.append(SwiftExampleCopy(name: open.name, file: file, imports: imports, body: dedent(open.lines)))
                current = nil
            } else if current != nil {
                current?.lines.append(line)
            }
        }
        return copies
    }

    /// Whether a documented block is this example.
    func matches(_ block: DocumentedBlock) -> Bool {
        let lines = block.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let blockImports = lines.prefix(while: { $0.hasPrefix("import ") || $0.isEmpty })
        let code = Array(lines.dropFirst(blockImports.count))
        return Set(blockImports.filter { !$0.isEmpty }).isSubset(of: imports) && Self.dedent(code) == body
    }

    /// Lines without their common indentation or trailing blanks, joined.
    static func dedent(_ lines: [String]) -> String {
        let indent = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.prefix(while: { $0 == " " }).count }.min() ?? 0
        return lines.map { String($0.dropFirst(min(indent, $0.count))) }
            .map { $0.replacing(/\s+$/, with: "") }
            .joined(separator: "\n").trimmingCharacters(in: .newlines)
    }
}
