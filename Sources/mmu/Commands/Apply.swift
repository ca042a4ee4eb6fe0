import ArgumentParser
import Foundation
import MMUCore
import MMUStore

extension MMUCommand {
    /// `mmu apply`: runs a JSON-lines batch of operations as one transaction.
    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply a batch of operations, one JSON object per line, as one transaction.",
            discussion: """
                Each line is one operation, for example:
                  {"op":"map","va":"0x400000","pa":"0x1000","size":"4KiB","protection":"r-xu"}
                  {"op":"map","entries":[{"va":"0x600000","pa":"0x2000","protection":"rw-u"}]}
                  {"op":"unmap","va":"0x400000","length":"0x1000"}
                  {"op":"clear","va":"0x400000","length":"0x10000"}
                  {"op":"protect","va":"0x600000","length":"0x1000","protection":"r--u"}
                  {"op":"resize","va":"0x600000","size":"2MiB"}
                  {"op":"global","va":"0xffff800000000000","length":"0x200000"}
                  {"op":"access","va":"0x600000","write":true,"count":3}
                  {"op":"fault","va":"0x700000"}
                  {"op":"copy","from":"parent","va":"0x400000","length":"0x10000"}
                Add "replace":true to map or copy over existing pages, "demote":true to let a range split \
                large pages. Blank lines and lines starting with # are ignored. If any line is malformed \
                or any operation fails, nothing is committed and the error names it as FILE:LINE \
                (<stdin>:LINE for standard input).
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "The set.") var set: String
        @Argument(help: "The JSON-lines file (default: standard input).") var file: String?
        @Option(help: "A note for the transaction log.") var label: String?
        @OptionGroup var output: OutputOptions

        func run() throws {
            let source = file ?? "<stdin>"
            let data: Data
            if let file {
                data = try InputFile.contents(of: file)
            } else {
                data = FileHandle.standardInput.readDataToEndOfFile()
            }
            let text = String(decoding: data, as: UTF8.self)
            var operations: [(line: Int, operation: TransactionOperation)] = []
            var texts: [Int: String] = [:]
            let decoder = JSONDecoder()
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                do {
                    operations.append((index + 1, try decoder.decode(TransactionOperation.self, from: Data(trimmed.utf8))))
                    texts[index + 1] = trimmed
                } catch {
                    throw CommandFailure("\(source):\(index + 1): \(Self.explain(error)); nothing was applied")
                }
            }
            let opened = try store.open()
            var failedLine = 0
            do {
                let commit = try opened.update(set: set, label: label ?? "apply \(file ?? "standard input")") { tx in
                    for (line, operation) in operations {
                        failedLine = line
                        try operation.apply(to: tx)
                    }
                }
                try Output.print(commit, verb: "applied \(Output.count(operations.count, "operation"))", json: output.json)
            } catch let error as StoreError where error.code == .mapping {
                let hints = Self.decimalHints(in: texts[failedLine] ?? "").map { "\nhint: \($0)" }.joined()
                var message = error.message
                if case .unknownSet(let name)? = error.cause as? MappingError {
                    message += NameSuggestion.phrase(for: name, among: try opened.sets().map(\.name))
                }
                throw CommandFailure("\(source):\(failedLine): \(message); nothing was applied\(hints)")
            }
        }

        /// The hints for the `va` and `pa` strings of a line (its own or its entries') written as
        /// plain digits that would mean another number as hexadecimal.
        static func decimalHints(in line: String) -> [String] {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return [] }
            let objects = [object] + ((object["entries"] as? [Any]) ?? []).compactMap { $0 as? [String: Any] }
            return objects.flatMap { object in
                ["va", "pa"].compactMap { key in
                    (object[key] as? String).flatMap { try? AddressArgument(parsing: $0) }?.decimalHint
                }
            }
        }

        /// A decoding error as a sentence.
        static func explain(_ error: any Error) -> String {
            switch error {
            case DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty:
                return "not valid JSON"
            case DecodingError.dataCorrupted(let context):
                return context.debugDescription + path(context.codingPath)
            case DecodingError.keyNotFound(let key, _):
                return "missing \"\(key.stringValue)\""
            case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
                return context.debugDescription + path(context.codingPath)
            default:
                return "not valid JSON"
            }
        }

        private static func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "" : " (at \(keys.map(\.stringValue).joined(separator: ".")))"
        }
    }
}
