import Foundation
import MMUCore
import Testing

@testable import MMUStore

struct BusyMessageTests {
    /// A writer that gives up behind another process's write transaction names that process
    /// and says what to do, instead of SQLite's bare "database is locked".
    @Test func aBusyStoreNamesTheProcessHoldingItAndWhatToDo() throws {
        let closed = try ReadingStoreTests.ClosedStore()
        let store = try TranslationStore(path: closed.path)
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        shell.arguments = [closed.path]
        let input = Pipe(), output = Pipe()
        shell.standardInput = input
        shell.standardOutput = output
        try shell.run()
        defer {
            try? input.fileHandleForWriting.close()
            shell.waitUntilExit()
        }
        input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\nSELECT 'held';\n".utf8))
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("held") {
            let chunk = output.fileHandleForReading.availableData
            try #require(!chunk.isEmpty, "sqlite3 ended before taking the lock")
            seen += chunk
        }
        let refused = #expect(throws: StoreError.self) { try ReadingStoreTests.ClosedStore.mapOne(store, at: 0x2000) }
        #expect(refused?.code == .busy)
        let message = refused?.message ?? ""
        #expect(message.contains("is busy: process \(shell.processIdentifier) (/usr/bin/sqlite3 /"), "\(message)")
        #expect(message.contains(") holds its write lock"), "\(message)")
        #expect(message.contains("run the command again"), "\(message)")
        #expect(!message.contains("database is locked"), "\(message)")
    }
}
