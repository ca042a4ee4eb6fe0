import Foundation

/// A fenced code block of README.md or a DocC article, with the HTML comment before it that
/// says what the newcomer tests do with it (see README, "Examples in the documentation are tests").
struct DocumentedBlock {
    /// What the tests do with a block.
    enum Role: Equatable {
        /// `<!-- example -->`: run it, in document order.
        case example
        /// `<!-- example: FILE -->`: write it to FILE for the commands after it.
        case file(String)
        /// `<!-- synopsis -->`: compare its options with each command's `--help`.
        case synopsis
        /// `<!-- not run: REASON -->`: left alone, for the reason given.
        case notRun(String)
    }

    /// The document, relative to the package root.
    var document: String
    /// The line of the opening fence (1-based).
    var line: Int
    /// The fence's language (`sh`, `json`, `sql`, `swift`, or empty).
    var language: String
    /// The block's role, or `nil` when no marker comment precedes it.
    var role: Role?
    /// The block's lines without the fence's indentation.
    var text: String

    /// Where the block is, for messages.
    var location: String { "\(document):\(line)" }

    /// The fenced blocks of `markdown`, in order.
    static func blocks(in markdown: String, document: String) -> [DocumentedBlock] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [DocumentedBlock] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.drop(while: { $0 == " " })
            guard trimmed.hasPrefix("```") else {
                index += 1
                continue
            }
            let indent = line.count - trimmed.count
            let language = String(trimmed.dropFirst(3)).trimmingCharacters(in: .whitespaces)
            var body: [String] = []
            var end = index + 1
            while end < lines.count, lines[end].trimmingCharacters(in: .whitespaces) != "```" {
                body.append(String(lines[end].dropFirst(min(indent, lines[end].prefix(while: { $0 == " " }).count))))
                end += 1
            }
            let previous = lines[..<index].last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
            blocks.append(
                DocumentedBlock(
                    document: document, line: index + 1, language: language,
                    role: previous.flatMap(role(of:)), text: body.joined(separator: "\n")))
            index = end + 1
        }
        return blocks
    }

    /// The role a marker comment line gives, or `nil` when the line is not a marker.
    static func role(of line: String) -> Role? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("<!-- "), trimmed.hasSuffix(" -->") else { return nil }
        let content = String(trimmed.dropFirst(5).dropLast(4)).trimmingCharacters(in: .whitespaces)
        if content == "example" { return .example }
        if content == "synopsis" { return .synopsis }
        if content.hasPrefix("example: ") {
            let name = String(content.dropFirst("example: ".count))
            return name.isEmpty || name.contains("/") || name.contains(" ") ? nil : .file(name)
        }
        if content.hasPrefix("not run: "), content.count > "not run: ".count + 3 {
            return .notRun(String(content.dropFirst("not run: ".count)))
        }
        return nil
    }
}
