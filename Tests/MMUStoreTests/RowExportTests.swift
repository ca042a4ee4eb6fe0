import Foundation
import MMUCore
import Testing

@testable import MMUStore

/// `writeRows(of:asCSVTo:)`: each table of a checked store as CSV for the runs lake.
struct RowExportTests {
    /// A checkpointed store with a quoted set name, a labelled and an unlabelled commit, a
    /// kernel-half global page and history, opened as an untrusted file.
    static func store(in directory: URL) throws -> TranslationStore {
        let path = directory.appendingPathComponent("run.sqlite").path
        let store = try TranslationStore(path: path, creatingIfMissing: true)
        try store.createSet(named: #"say "hi", then go"#)
        try store.update(set: #"say "hi", then go"#, label: "line one\nline \"two\"") { tx in
            try tx.map(VirtualAddress(0x40_0000), to: PhysicalAddress(0x1000), protection: [.read, .user])
            try tx.map(VirtualAddress(0xffff_8000_0000_0000), to: PhysicalAddress(0x20_0000), size: .size2MiB, protection: .read, attributes: .global)
        }
        try store.update(set: #"say "hi", then go"#, label: "") { tx in
            try tx.protect(try VirtualRange(start: VirtualAddress(0x40_0000), byteCount: 0x1000), [.read, .write, .user])
        }
        try store.update(set: #"say "hi", then go"#) { tx in
            try tx.unmap(try VirtualRange(start: VirtualAddress(0x40_0000), byteCount: 0x1000))
        }
        try store.checkpoint()
        return try TranslationStore.openUntrusted(path: path, timeout: 10)
    }

    static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-rows-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func writesEveryRowQuotedWithNullApartFromEmptyText() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Self.store(in: directory)
        var written: [String: (TableRows, String)] = [:]
        for table in TranslationStore.rowTables {
            let path = directory.appendingPathComponent("\(table).csv").path
            written[table] = (try store.writeRows(of: table, asCSVTo: path), try String(contentsOfFile: path, encoding: .utf8))
        }
        let (log, logText) = try #require(written["transactionLog"])
        #expect(log.rows >= 3)
        #expect(log.columns.first == "sequence" && log.columns.contains("label") && log.columns.last == "chain")
        #expect(logText.hasPrefix(log.columns.map { "\"\($0)\"" }.joined(separator: ",") + "\n"))
        // The quoted label keeps its newline and doubled quotes; "" is empty text; NULL is nothing.
        #expect(logText.contains(#","line one"# + "\n" + #"line ""two""","#))
        #expect(logText.contains(#","","#))
        #expect(logText.contains(#"Z",,"#))

        let (sets, setText) = try #require(written["translationSet"])
        #expect(sets.rows == 2)
        #expect(setText.contains(#""say ""hi"", then go""#))

        let (entries, entryText) = try #require(written["mmuEntry"])
        #expect(entries.columns == ["setId", "vpn", "born", "died", "pfn", "pageShift", "protection", "cacheMode"])
        #expect(entries.rows == 3)
        // The kernel page's vpn in decimal; the reprotected entry died at generation 2.
        #expect(entryText.contains("1,\(0xffff_8000_0000_0000 as UInt64 >> 12),0,,512,21,1,0"))
        #expect(entryText.contains(",1024,1,2,1,12,11,0"))
    }

    @Test func refusesAnUnknownTableAndAnExistingFile() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Self.store(in: directory)
        let path = directory.appendingPathComponent("out.csv").path
        #expect(throws: StoreError.self) { try store.writeRows(of: "protectionName", asCSVTo: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
        try Data("keep".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StoreError.self) { try store.writeRows(of: "mmuEntry", asCSVTo: path) }
        #expect(error?.code == .alreadyExists)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep")
    }
}
