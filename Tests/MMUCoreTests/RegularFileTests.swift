#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MMUCore
import Testing

/// The one opener of files from elsewhere: regular files only, sizes from what the file holds,
/// whole reads bounded. (FIFOs are the command-line tests', run as children with a deadline.)
struct RegularFileTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-regular-\(UUID())")

    func make(_ name: String, _ bytes: [UInt8]) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aSparseFileReportsItsLengthAndWhatItHolds() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try make("sparse", [1, 2, 3])
        #expect(truncate(path, 1 << 30) == 0)
        let file = try RegularFile(openingForReading: path)
        #expect(file.size == 1 << 30)
        #expect(file.allocatedBytes < 1 << 20, "\(file.allocatedBytes) bytes allocated")
        #expect(try file.read(3, at: 0) == [1, 2, 3])
    }

    @Test func aWholeReadIsBoundedByItsLimit() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try make("data", [UInt8](repeating: 7, count: 5_000))
        #expect(try RegularFile(openingForReading: path).readAll(limit: 5_000).count == 5_000)
        #expect(throws: RegularFileError(path: path, reason: .tooLarge(bytes: 5_000, limit: 4_999))) {
            try RegularFile(openingForReading: path).readAll(limit: 4_999)
        }
    }

    @Test func directoriesAndSymbolicLinksAreRefusedByKind() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try make("target", [1])
        let link = directory.appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        #expect(throws: RegularFileError(path: directory.path, reason: .notRegular(kind: "a directory"))) {
            try RegularFile(openingForReading: directory.path)
        }
        do {
            _ = try RegularFile(openingForReading: link)
            Issue.record("a symbolic link was opened")
        } catch {
            guard case .symbolicLink(let target) = error.reason else { Issue.record("\(error)"); return }
            #expect(target.hasSuffix("/target"))
            #expect(error.description.contains("name the file itself"))
        }
        #expect(try RegularFile(openingForReading: link, followingSymbolicLinks: true).size == 1)
        #expect(throws: RegularFileError(path: "/dev/null", reason: .notRegular(kind: "a character device"))) {
            try RegularFile(openingForReading: "/dev/null")
        }
    }
}
