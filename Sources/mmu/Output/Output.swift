import Foundation
import MMUCore
import MMUStore

/// Printing for people and for tools. Library modules never print; the commands do, here.
enum Output {
    /// Prints `value` as one line of JSON (keys sorted, so output is stable).
    static func jsonLine(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// `1.5 MiB`, `4 KiB`, `12 B`.
    static func bytes(_ count: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(count) B" }
        return value == value.rounded() ? "\(Int(value)) \(units[unit])" : String(format: "%.1f %@", value, units[unit])
    }

    /// `1 entry`, `2 entries`: the count with the noun in the number it takes.
    static func count(_ count: some BinaryInteger, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) " + (count == 1 ? singular : plural ?? singular + "s")
    }

    /// Pads each column to its widest cell; a cell's control characters, line breaks included,
    /// are escaped (names come from files). The last cell of a row shorter than the widest row
    /// spans the columns left (a message such as "cannot encode: …"): it is printed as it is and
    /// widens no column.
    static func table(_ cells: [[String]], rightAligned: Set<Int> = []) -> String {
        let rows = cells.map { $0.map { TerminalText.escaped($0) } }
        guard let columns = rows.map(\.count).max() else { return "" }
        let widths = (0..<columns).map { column in
            rows.map { column < $0.count && ($0.count == columns || column < $0.count - 1) ? $0[column].count : 0 }.max() ?? 0
        }
        return rows.map { row in
            row.enumerated().map { column, cell in
                if row.count < columns && column == row.count - 1 { return cell }
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? padding + cell : cell + (column == row.count - 1 ? "" : padding)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// A one-line account of a commit, with its stale ranges.
    static func commit(_ commit: Commit, verb: String) -> String {
        var text = "\(verb) in set '\(commit.setName)': generation \(commit.generation), log sequence \(commit.sequence)"
        let counts = commit.summary.counts
        text += " (+\(counts.entriesAdded) -\(Output.count(counts.entriesRemoved, "entry", "entries")))"
        if !commit.summary.staleRanges.isEmpty {
            let shown = commit.summary.staleRanges.prefix(8).map(\.description).joined(separator: ", ")
            let more = commit.summary.staleRanges.count > 8 ? ", … \(commit.summary.staleRanges.count - 8) more" : ""
            text += "\nstale translations (flush from TLBs): \(shown)\(more)"
        }
        return text
    }

    /// Prints a commit as text or JSON.
    static func print(_ commit: Commit, verb: String, json: Bool) throws {
        if json { try jsonLine(JSONCommit(commit)) } else { Swift.print(Self.commit(commit, verb: verb)) }
    }
}
