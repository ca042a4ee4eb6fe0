#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MMUTraces
import Testing

/// A trace is opened once: the check pass and the replay read the same open file, so a trace
/// swapped for another (or for a FIFO) after the check is never read; and a FIFO, directory or
/// symbolic link is refused when the trace is opened.
struct TraceFileOpeningTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-trace-open-\(UUID())")

    func write(_ text: String, _ name: String) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func aRestartedReaderReadsTheFileItOpenedNotThePath() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try write("==1== lackey\n I  00400000,4\n L  00601000,8\n", "trace.lackey")
        let first = try TraceReader(contentsOf: path)
        var checked = 0
        while try first.next() != nil { checked += 1 }
        // The path now names another trace with a line the check never saw.
        let other = try write("==1== lackey\n X  bad line\n", "other.lackey")
        #expect(rename(other, path) == 0)
        let replay = try first.restarted(options: TraceParsingOptions())
        var replayed = 0
        while try replay.next() != nil { replayed += 1 }
        #expect(checked == 2)
        #expect(replayed == checked)
    }

    @Test func aDirectoryOrSymbolicLinkIsRefusedWhenOpened() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try write("==1== lackey\n I  00400000,4\n", "trace.lackey")
        let link = directory.appendingPathComponent("link.lackey").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        for (target, words) in [(directory.path, "a directory"), (link, "a symbolic link")] {
            do {
                _ = try TraceReader(contentsOf: target)
                Issue.record("\(target) was opened")
            } catch {
                guard case .unreadable(let message) = error.reason else { Issue.record("\(error)"); continue }
                #expect(message.contains(words), "\(message)")
            }
        }
    }
}
