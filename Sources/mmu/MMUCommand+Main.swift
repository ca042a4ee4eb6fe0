import ArgumentParser
import Foundation
import MMUCore

extension MMUCommand {
    /// Parses and runs the command, with refinements of argument-parser's errors: a misspelled
    /// subcommand gets a "did you mean", a negative number (`-5`), which argument-parser takes
    /// for an option, is reported as the error of the value it stands for, and every message
    /// (errors quote names and lines from files) is written with its control characters
    /// escaped, line breaks kept.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            if let message = misspelledSubcommand(in: arguments) {
                exit(withMessage: message, code: ExitCode.validationFailure)
            }
            if let (message, code) = negativeNumberError(in: arguments) {
                exit(withMessage: message, code: code)
            }
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            guard !message.isEmpty else { Foundation.exit(code.rawValue) }
            exit(withMessage: message, code: code)
        }
    }

    /// `'mpa' is not an mmu command; did you mean 'map'?` for the first word where a
    /// subcommand is expected that names none but is close to one.
    static func misspelledSubcommand(in arguments: [String]) -> String? {
        var command: any ParsableCommand.Type = MMUCommand.self
        var path = [MMUCommand._commandName]
        for argument in arguments {
            if argument == "--" { return nil }
            if argument.hasPrefix("-") { continue }
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty else { return nil }
            if let next = subcommands.first(where: { $0._commandName == argument }) {
                command = next
                path.append(argument)
                continue
            }
            guard let closest = NameSuggestion.closest(to: argument, among: subcommands.map { $0._commandName }) else { return nil }
            let name = path.joined(separator: " ")
            return "Error: '\(argument)' is not an `\(name)` command; did you mean '\(closest)'? (see `\(name) --help`)"
        }
        return nil
    }

    /// The error argument-parser reports when each negative number among `arguments` is passed
    /// as a value (written with U+2212 so it is not taken for an option), with `-` put back.
    static func negativeNumberError(in arguments: [String]) -> (String, ExitCode)? {
        var changed = false
        var seenTerminator = false
        let values = arguments.map { argument -> String in
            if argument == "--" { seenTerminator = true }
            guard !seenTerminator, argument.count > 1, argument.hasPrefix("-"), argument.dropFirst().first?.isNumber == true else {
                return argument
            }
            changed = true
            return "\u{2212}" + argument.dropFirst()
        }
        guard changed else { return nil }
        do {
            _ = try parseAsRoot(values)
            return nil
        } catch {
            let message = fullMessage(for: error).replacingOccurrences(of: "\u{2212}", with: "-")
            return ("Error: " + message.replacingOccurrences(of: "^Error: ", with: "", options: .regularExpression), exitCode(for: error))
        }
    }

    /// Writes `message`, escaped, to standard error (standard output for a successful exit such
    /// as `--help`) and exits with `code`.
    private static func exit(withMessage message: String, code: ExitCode) -> Never {
        let stream = code == .success ? FileHandle.standardOutput : FileHandle.standardError
        stream.write(Data((TerminalText.escaped(message, keepingLineBreaks: true) + "\n").utf8))
        Foundation.exit(code.rawValue)
    }
}
