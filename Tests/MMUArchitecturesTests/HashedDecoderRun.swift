import Foundation
import MMUArchitectures
import MMUCore
import MMUTestSupport

/// One run of tools/oracle/hashed_decoder.py over an exported image, and the conformance check
/// of what it decoded against the set the image was built from.
struct HashedDecoderRun {
    /// The decoder script, run by the tests' pinned Python environment.
    static let script = PythonEnvironment.packageRoot.appendingPathComponent("tools/oracle/hashed_decoder.py")

    /// One translation the decoder found.
    struct Entry {
        var virtualAddress: UInt64
        var size: UInt64
        var physicalAddress: UInt64
        var kernel: String
        var user: String
        var cache: String
        var dirty: Bool
        var accessed: Bool
        /// Whether the hardware lookup of its first and last byte returns this entry.
        var findable: Bool
        /// The physical address of the record or HPTE.
        var location: UInt64
    }

    /// The decoder's exit status (0 no problem, 1 problems listed, 2 unreadable image).
    var status: Int32
    var entries: [Entry] = []
    /// The decoder's `problem` lines, as printed.
    var problems: [String] = []
    /// The hardware lookups the decoder made to check findability.
    var lookups = 0
    /// Standard error, for messages.
    var errors: String
    /// Wall-clock seconds of the run.
    var seconds: Double
    /// The answers to `queries`, in order: the physical address, or `nil` when the lookup
    /// finds nothing.
    var answers: [UInt64?] = []
    /// How many entries the hardware walker found, and how many only the miss handler (IA-64
    /// long format), by the decoder's `foundBy` name.
    var foundBy: [String: Int] = [:]
    /// IA-64 long format: the entries in overflow records of a collision chain (not in their slot).
    var chained = 0

    /// Runs the decoder on `directory`, translating `queries` (written to a file beside the image).
    init(directory: URL, queries: [UInt64] = []) throws {
        var arguments = [Self.script.path, directory.path]
        if !queries.isEmpty {
            let file = directory.appendingPathComponent("queries.txt")
            try queries.map { "0x" + String($0, radix: 16) }.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
            arguments += ["--translate", file.path]
        }
        let start = Date()
        let completion = try PythonEnvironment.run(arguments)
        seconds = Date().timeIntervalSince(start)
        status = completion.status
        errors = completion.errors
        for line in completion.output.split(separator: "\n") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw DecoderOutputError(line: String(line))
            }
            if object["problem"] != nil {
                problems.append(String(line))
            } else if object["query"] != nil {
                answers.append((object["pa"] as? String).flatMap { UInt64($0.dropFirst(2), radix: 16) })
            } else if let summary = object["summary"] as? [String: Any] {
                lookups = summary["lookups"] as? Int ?? -1
                foundBy = summary["foundBy"] as? [String: Int] ?? [:]
                chained = summary["chained"] as? Int ?? 0
            } else {
                entries.append(try Self.entry(object, line: String(line)))
            }
        }
    }

    /// A line the test cannot read: the decoder's output contract is broken.
    struct DecoderOutputError: Error, CustomStringConvertible {
        let line: String
        var description: String { "the decoder printed a line that is not a JSON object with the expected keys: \(line)" }
    }

    private static func entry(_ object: [String: Any], line: String) throws -> Entry {
        func hex(_ key: String) throws -> UInt64 {
            guard let text = object[key] as? String, text.hasPrefix("0x"), let value = UInt64(text.dropFirst(2), radix: 16) else {
                throw DecoderOutputError(line: line)
            }
            return value
        }
        guard let size = object["size"] as? Int, let kernel = object["kernel"] as? String, let user = object["user"] as? String,
            let cache = object["cache"] as? String, let dirty = object["dirty"] as? Bool, let accessed = object["accessed"] as? Bool,
            let findable = object["findable"] as? Bool
        else { throw DecoderOutputError(line: line) }
        return Entry(
            virtualAddress: try hex("va"), size: UInt64(size), physicalAddress: try hex("pa"), kernel: kernel, user: user,
            cache: cache, dirty: dirty, accessed: accessed, findable: findable, location: try hex("at"))
    }

    /// The architecture's name for a canonical cache mode, as the format encodes it
    /// (Formats.md: IA-64 `ma` 0 WB, 6 WC, 4 UC; PowerPC WIMG M, WM, I, IG).
    static func cacheName(_ mode: CacheMode, format: PageTableFormat) -> String {
        let ia64: [CacheMode: String] = [.writeBack: "WB", .writeThrough: "WB", .writeCombining: "WC", .uncached: "UC"]
        let ppc64: [CacheMode: String] = [.writeBack: "M", .writeThrough: "WM", .writeCombining: "I", .uncached: "IG"]
        return (format.name == "ppc64-hpt" ? ppc64 : ia64)[mode] ?? "?"
    }

    /// Everything that keeps the decoded table from being exactly `expected`: a non-zero exit,
    /// each problem line, each expected entry missing or decoded with another size, frame,
    /// rights, cache attribute or dirty bit, each extra entry, each entry the hardware lookup
    /// does not find.
    func failures(expected: TranslationSet, format: PageTableFormat) -> [String] {
        var failures: [String] = []
        if status != 0 { failures.append("decoder exit status \(status): \(errors)") }
        failures += problems.map { "decoder problem: \($0)" }
        var decoded: [UInt64: Entry] = [:]
        for entry in entries {
            if decoded.updateValue(entry, forKey: entry.virtualAddress) != nil {
                failures.append("two decoded entries at 0x\(String(entry.virtualAddress, radix: 16))")
            }
            if !entry.findable { failures.append("not findable: 0x\(String(entry.virtualAddress, radix: 16))") }
        }
        for original in expected.entries {
            let entry = format.normalized(original)
            let va = entry.virtualAddress.rawValue
            guard let found = decoded.removeValue(forKey: va) else {
                failures.append("missing: 0x\(String(va, radix: 16)) \(entry)")
                continue
            }
            let rights = format.rights(for: entry.protection)
            let expectedFields = [
                "size \(entry.size.byteCount)", "frame 0x\(String(entry.physicalAddress.rawValue, radix: 16))",
                "kernel \(rights.protection(for: .kernel).description.prefix(3))", "user \(rights.protection(for: .user).description.prefix(3))",
                "cache \(Self.cacheName(entry.cacheMode, format: format))", "dirty \(entry.attributes.contains(.dirty))", "accessed true",
            ]
            let foundFields = [
                "size \(found.size)", "frame 0x\(String(found.physicalAddress, radix: 16))", "kernel \(found.kernel)", "user \(found.user)",
                "cache \(found.cache)", "dirty \(found.dirty)", "accessed \(found.accessed)",
            ]
            for (want, got) in zip(expectedFields, foundFields) where want != got {
                failures.append("0x\(String(va, radix: 16)): expected \(want), decoded \(got)")
            }
        }
        for extra in decoded.values.sorted(by: { $0.virtualAddress < $1.virtualAddress }) {
            failures.append("extra: 0x\(String(extra.virtualAddress, radix: 16)) (\(extra.size) bytes) -> 0x\(String(extra.physicalAddress, radix: 16))")
        }
        return failures
    }
}
