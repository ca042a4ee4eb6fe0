import Foundation

/// The README's command synopsis, compared with what `mmu … --help` says: every option shown
/// must exist, and every option of every command must be shown.
struct CommandSynopsis {
    /// The options each command's entries show, by command path (`map`, `sets create`); the
    /// `mmu <command>` line's options are under the empty path and hold for every command.
    var options: [String: Set<String>] = [:]

    /// The option names of a piece of text: `-d`, `--database`, not `rw-u` or `read-only`.
    static func optionNames(in text: String) -> Set<String> {
        Set(text.matches(of: /(?:^|[^\w-])(--?[a-z][a-z-]*)/).map { String($0.output.1) })
    }

    /// Parses a synopsis block; `sets` is the `sets` subcommands' names.
    init(_ text: String, setsSubcommands: Set<String>) {
        var path: String?
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix("mmu ") {
                let words = line.split(separator: " ").map(String.init)
                if words[1] == "<command>" {
                    path = ""
                } else if words[1] == "sets" {
                    path = words.count > 2 && setsSubcommands.contains(words[2]) ? "sets \(words[2])" : "sets list"
                } else {
                    path = words[1]
                }
            } else if line.first != " " {
                path = nil
            }
            if let path { options[path, default: []].formUnion(Self.optionNames(in: line)) }
        }
    }

    /// The option groups of a `--help` text (`-s, --size` is one group), without help and version.
    static func helpOptions(_ help: String) -> [Set<String>] {
        help.split(separator: "\n").map(String.init).filter { $0.hasPrefix("  -") }.compactMap { line in
            let names = optionNames(in: String(line.dropFirst(2).prefix { $0 != "<" }).components(separatedBy: "  ")[0])
            return names.isDisjoint(with: ["--help", "-h", "--version"]) ? names : nil
        }
    }

    /// The subcommand names a `--help` text lists.
    static func subcommands(_ help: String) -> [String] {
        guard let section = help.range(of: "SUBCOMMANDS:") else { return [] }
        return help[section.upperBound...].split(separator: "\n").compactMap { line in
            guard line.hasPrefix("  "), line.dropFirst(2).first?.isLowercase == true else { return nil }
            return line.split(separator: " ").first.map(String.init)
        }
    }

    /// The disagreements between the synopsis and `help` for one command path.
    func problems(for path: String, help: String) -> [String] {
        guard let shown = options[path] else { return ["the synopsis has no line for `mmu \(path)`"] }
        let groups = Self.helpOptions(help)
        let known = groups.reduce(into: Set<String>()) { $0.formUnion($1) }
        var problems = shown.subtracting(known).sorted().map { "the synopsis shows \($0) for `mmu \(path)`, which has no such option" }
        for group in groups where group.isDisjoint(with: shown.union(options[""] ?? [])) {
            problems.append("the synopsis of `mmu \(path)` does not show \(group.sorted().joined(separator: "/"))")
        }
        return problems
    }
}
