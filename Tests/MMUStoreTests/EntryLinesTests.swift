import Foundation
@testable import MMUCore
import MMUTestSupport
import Testing

@testable import MMUStore

/// The byte-level entry-line parser gives what decoding every line with `JSONDecoder` gives, as
/// `mmu import --entries` always did: the same entries and lines, the same store content
/// (digests), and the same error, at the same line, for every bad line.
struct EntryLinesTests {
    /// Reads `bytes` `chunk` bytes at a time, parsing fast or decoding every line.
    static func read(_ bytes: [UInt8], fast: Bool, chunk: Int = 1 << 16) -> Result<EntryLines, EntryLinesError> {
        var offset = 0
        return Result { () throws(EntryLinesError) -> EntryLines in
            try EntryLines(name: "test", parsingFast: fast) { buffer throws(EntryLinesError) in
                let count = min(chunk, buffer.count, bytes.count - offset)
                bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + count)])) }
                offset += count
                return count
            }
        }
    }

    /// The importer's code before the byte-level parser, verbatim: the whole file as a String,
    /// split at the Character "\n", each line trimmed and decoded.
    static func previousImport(_ bytes: [UInt8]) -> Result<([MMUEntry], [Int]), OldFailure> {
        let decoder = JSONDecoder()
        var imported: [MMUEntry] = []
        var lines: [Int] = []
        let text = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in text.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            do {
                imported.append(try decoder.decode(MMUEntry.self, from: Data(trimmed.utf8)))
                lines.append(index + 1)
            } catch {
                return .failure(OldFailure(description: "line \(index + 1): \(error)"))
            }
        }
        return .success((imported, lines))
    }

    struct OldFailure: Error, CustomStringConvertible { let description: String }

    /// Varied lines: every page size, protection and cache mode, global, accessed and dirty set,
    /// cleared or absent, keys the decoder ignores (`"record":"entry"`), addresses as hexadecimal strings (either case of `0x`, leading zeros)
    /// or integers, sizes as names or byte counts, keys in any order and spacing, comments and
    /// blank lines; and lines only the decoder reads (escapes, unknown keys, decimal and
    /// underscored address strings, `null`, a no-break space).
    static func variedFile(seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        func next(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        var lines = ["# entries", ""]
        for index in 0..<1200 {
            let size = PageSize.all[next(PageSize.all.count)]
            let va = UInt64(index + 1) << 32, pa = UInt64(index + 7) << 32
            var fields: [String] = []
            fields.append([#""va":"\#(VirtualAddress(va))""#, #""va":\#(va)"#, #""va" : "0X\#(String(va, radix: 16, uppercase: true))""#, #""va":"0x000\#(String(va, radix: 16))""#][next(4)])
            fields.append([#""pa":"\#(PhysicalAddress(pa))""#, #""pa":\#(pa)"#][next(2)])
            switch next(3) {
            case 0: fields.append(#""size":"\#(size)""#)
            case 1: fields.append(#""size":\#(size.byteCount)"#)
            default: if size != .size4KiB { fields.append(#""size":"\#(size)""#) }
            }
            fields.append(#""protection":"\#(Protection(rawValue: UInt8(next(16))))""#)
            for flag in ["global", "accessed", "dirty"] {
                switch next(3) {
                case 0: fields.append(#""\#(flag)":true"#)
                case 1: fields.append(#""\#(flag)": false"#)
                default: break
                }
            }
            if next(2) == 0 { fields.append(#""cache":"\#(CacheMode.allCases[next(4)].rawValue)""#) }
            if next(4) == 0 { fields.append([#""record":"entry""#, #""note":12"#, #""ok":false"#, #""x":null"#][next(4)]) }
            if next(2) == 0 { fields.shuffle(using: &random) }
            var line = "{" + fields.joined(separator: [",", ", ", " ,\t"][next(3)]) + "}"
            switch next(40) {
            case 0: line = line.replacingOccurrences(of: #""protection""#, with: #""prot\u0065ction""#)
            case 1: line = line.replacingOccurrences(of: "{", with: #"{"note":"x","#)
            case 2: line = line.replacingOccurrences(of: #""va":"0x1"#, with: #""va":"0x_1"#)
            case 3 where !line.contains("cache"): line = line.replacingOccurrences(of: "}", with: #","cache":null}"#)
            case 4: line = "\u{A0}" + line
            case 5: line = #"{"va":"\#(va)","pa":\#(pa),"protection":"r---"}"#
            case 6: line = "\t " + line + " "
            case 7: line += " \t"
            default: break
            }
            lines.append(line)
            if next(10) == 0 { lines.append(["", "   ", "# comment", "#"][next(4)]) }
        }
        return Array(lines.joined(separator: "\n").utf8)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func parsesAsTheDecoderDoesAndStoresTheSameContent(seed: UInt64) throws {
        let file = Self.variedFile(seed: seed)
        let fast = try Self.read(file, fast: true).get()
        let chunked = try Self.read(file, fast: true, chunk: 7).get()
        let decoded = try Self.read(file, fast: false).get()
        let previous = try Self.previousImport(file).get()
        #expect(fast.entries.count > 1000)
        #expect(fast.entries == decoded.entries && fast.lines == decoded.lines)
        #expect(chunked.entries == decoded.entries && chunked.lines == decoded.lines)
        #expect(decoded.entries == previous.0 && decoded.lines == previous.1)
        #expect(Set(fast.entries.map(\.size)).count == PageSize.all.count)
        #expect(Set(fast.entries.map(\.protection)).count == 16)
        #expect(Set(fast.entries.map(\.cacheMode)).count == CacheMode.allCases.count)
        #expect(Set(fast.entries.map(\.attributes)).count == 8)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-entry-lines-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var digests: [UInt64] = []
        for (name, entries) in [("fast", fast.entries), ("decoded", decoded.entries)] {
            let store = try TranslationStore(path: directory.appendingPathComponent("\(name).sqlite").path, creatingIfMissing: true)
            try store.update(set: "p", creating: .init()) { tx in _ = try tx.mapImported(entries) }
            let set = try store.translationSet(named: "p")
            #expect(set.count == entries.count)
            digests.append(try store.set(named: "p").headDigest)
        }
        #expect(digests[0] == digests[1])
    }

    @Test func readsAFileThroughTheSafeOpener() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-entry-lines-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("entries.jsonl").path
        let file = Self.variedFile(seed: 9)
        try Data(file).write(to: URL(fileURLWithPath: path))
        #expect(try EntryLines(path: path).entries == Self.read(file, fast: false).get().entries)
        #expect(throws: EntryLinesError.self) { try EntryLines(path: directory.path) }
    }

    /// The usual shapes are parsed byte by byte, not left to the decoder.
    @Test(arguments: [
        #"{"va":"0x7f0000001000","pa":"0x1000","size":"4KiB","protection":"r-xu"}"#,
        #"{"va":"0x200000","pa":"0x40000000","size":"2MiB","protection":"rw--","global":true,"accessed":true,"dirty":false,"cache":"uc"}"#,
        #"{ "protection" : "----", "pa" : 8192, "va" : "0X3000", "dirty" : true }"#,
        #"{"va":4294967296,"pa":"0x0","size":1073741824,"protection":"rwxu","cache":"wc","accessed":true}"#,
        #"{"accessed":false,"cache":"wb","dirty":false,"global":false,"pa":"0x40000000","protection":"rw-u","record":"entry","size":"4KiB","va":"0x7f0000000000"}"#,
        #"{"va":"0x1000","pa":"0x1000","protection":"r---","note":"x","n":12,"b":true,"z":null}"#,
    ])
    func theUsualShapesAreParsedWithoutTheDecoder(line: String) throws {
        let fast = Array(line.utf8).withUnsafeBytes { EntryLines.LineParser.entry($0) }
        #expect(fast == (try JSONDecoder().decode(MMUEntry.self, from: Data(line.utf8))))
    }

    /// Every page size, as a name and as a byte count, and every protection and cache mode.
    @Test func everySizeProtectionAndCacheModeIsParsedWithoutTheDecoder() throws {
        for size in PageSize.all {
            for protection in (0..<16).map({ Protection(rawValue: UInt8($0)) }) {
                for cache in CacheMode.allCases {
                    for sizeText in [#""\#(size)""#, "\(size.byteCount)"] {
                        let line = #"{"va":"0x100000000","pa":"0x200000000","size":\#(sizeText),"protection":"\#(protection)","cache":"\#(cache.rawValue)"}"#
                        let fast = Array(line.utf8).withUnsafeBytes { EntryLines.LineParser.entry($0) }
                        #expect(fast == (try JSONDecoder().decode(MMUEntry.self, from: Data(line.utf8))), "\(line)")
                    }
                }
            }
        }
    }

    static let good = #"{"va":"0x1000","pa":"0x2000","protection":"rw-u"}"#

    @Test(arguments: [
        #"{"va":"0x1000","protection":"rw-u"}"#,
        #"{"va":"0x1000","pa":"0x2000","protection":"rw"}"#,
        #"{"va":"0x1000","pa":"0x2000","size":"4KB","protection":"rw-u"}"#,
        #"{"va":"0x1000","pa":"0x2000","size":"3KiB","protection":"rw-u"}"#,
        #"{"va":"0x1000","pa":"0x2000","size":4097,"protection":"rw-u"}"#,
        #"{"va":-5,"pa":"0x2000","protection":"rw-u"}"#,
        #"{"va":"0x10000000000000000","pa":"0x2000","protection":"rw-u"}"#,
        #"{"va":18446744073709551616,"pa":"0x2000","protection":"rw-u"}"#,
        #"{"va":"0x","pa":"0x2000","protection":"rw-u"}"#,
        #"{"va":"banana","pa":"0x2000","protection":"rw-u"}"#,
        #"{"va":null,"pa":"0x2000","protection":"rw-u"}"#,
        #"{"va":4096.5,"pa":"0x2000","protection":"rw-u"}"#,
        #"{"va":0123,"pa":"0x2000","protection":"rw-u"}"#,
        #"{"va":"0x1000","pa":"0x2000","protection":"rw-u","global":"true"}"#,
        #"{"va":"0x1000","pa":"0x2000","protection":"rw-u","dirty":1}"#,
        #"{"va":"0x1000","pa":"0x2000","protection":"rw-u","cache":"xx"}"#,
        #"{"va":"0x1000","pa":"0x2000","protection":"rw-u"}x"#,
        #"{"va":"0x1000","pa":"0x2000","protection":"rw-u","note":nul}"#,
        #"{"va":"0x1000" "pa":"0x2000","protection":"rw-u"}"#,
        #"{"va":"0x1000","pa":"0x2000","protection":"rw-u"}\#r\#n{"va":"0x3000","pa":"0x2000","protection":"rw-u"}"#,
        #"[1,2]"#,
        #"{"#,
        "{\"va\":\"0x1\u{7}000\",\"pa\":\"0x2000\",\"protection\":\"rw-u\"}",
        #"{"va":"0x1000","pa":"0x2000","protection":"r\u00e9-u"}"#,
    ])
    func aBadLineGivesTheDecodersErrorAtItsLine(line: String) throws {
        let file = Array((Self.good + "\n# c\n" + line + "\n" + Self.good + "\n").utf8)
        guard case .failure(.line(let fastLine, let fastError)) = Self.read(file, fast: true),
              case .failure(.line(let decodedLine, let decodedError)) = Self.read(file, fast: false),
              case .failure(let previous) = Self.previousImport(file)
        else {
            Issue.record("a line was accepted: \(line): fast \(Self.read(file, fast: true)), decoded \(Self.read(file, fast: false))")
            return
        }
        #expect(fastLine == 3 && decodedLine == 3)
        #expect("\(fastError)" == "\(decodedError)")
        #expect("line \(fastLine): \(fastError)" == previous.description)
    }

    /// Lines the decoder accepts although they are not of the usual shape (escapes, repeated
    /// keys, a trailing comma, a leading zero in an ignored number) give its entries.
    @Test(arguments: [
        #"{"va":"0x1000","pa":"0x2000","protection":"rw-u","note":"a\u0007"}"#,
        #"{"va":"0x1000","pa":"0x2000","protection":"rw-u","record":"entry","va":"0x5000"}"#,
        #"{"va":"0x1000","pa":"0x2000","protection":"rw-u","record":"entry","record":[1]}"#,
        #"{"va":"0x1000","pa":"0x2000","protection":"rw-u","note":01}"#,
        #"{"va":"0x1000","pa":"0x2000","protection":"rw-u",}"#,
        #"{"va":"0x1000","pa":"0x2000","protection":"rw-u","dirty":true,"dirty":false}"#,
    ])
    func unusualLinesGiveWhatTheDecoderGives(line: String) throws {
        let file = Array((Self.good + "\n" + line + "\n").utf8)
        func outcome(_ result: Result<EntryLines, EntryLinesError>) -> String {
            switch result {
            case .success(let read): "\(read.entries) \(read.lines)"
            case .failure(let error): "\(error)"
            }
        }
        let previous = switch Self.previousImport(file) {
        case .success(let read): "\(read.0) \(read.1)"
        case .failure(let error): error.description
        }
        #expect(outcome(Self.read(file, fast: true)) == previous)
        #expect(outcome(Self.read(file, fast: false)) == previous)
    }

    @Test func aLineLongerThanTheLimitIsRefused() {
        let file = Array((Self.good + "\n" + String(repeating: " ", count: EntryLines.lineLimit + 1) + Self.good + "\n").utf8)
        for chunk in [1 << 16, 1 << 22] {
            guard case .failure(.lineTooLong(let line)) = Self.read(file, fast: true, chunk: chunk) else {
                Issue.record("the long line was read")
                continue
            }
            #expect(line == 2)
        }
    }
}
