import ArgumentParser
import Foundation
import MMUCore

extension MMUCommand {
    /// Runs the command as ArgumentParser would, but writes every message (errors quote names
    /// and lines from files) with its control characters escaped, line breaks kept.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let message = TerminalText.escaped(fullMessage(for: error), keepingLineBreaks: true)
            if !message.isEmpty {
                let stream = code == .success ? FileHandle.standardOutput : FileHandle.standardError
                stream.write(Data((message + "\n").utf8))
            }
            Foundation.exit(code.rawValue)
        }
    }
}
