import Foundation
import MMUCore
import MMUStore
import Testing

/// Files from elsewhere are hostile: a FIFO, socket or device is refused without blocking
/// wherever a path is read, sizes come from what the file really holds, and the private copy of
/// a foreign database disappears even when the process is killed. Every command runs as a child
/// with a deadline, so that a regression fails instead of hanging the suite.
@Suite struct ForeignFileTests {
    /// A runner whose directory holds `own.sqlite` with a set `run` of 300 pages.
    static func runnerWithStore() throws -> DeadlineRunner {
        let runner = try DeadlineRunner()
        let store = try TranslationStore(path: runner.path("own.sqlite"), creatingIfMissing: true)
        try store.createSet(named: "run")
        try store.map((0..<300).map { MMUEntry(VirtualAddress(0x40_0000 + $0 << 12), to: PhysicalAddress(0x100_0000 + $0 << 12), protection: [.read, .write, .user]) }, into: "run")
        try store.checkpoint()
        return runner
    }

    /// Makes a FIFO at `path` (nobody ever writes to it: a reader that opens it blocks forever).
    static func fifo(_ path: String) throws {
        guard mkfifo(path, 0o600) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    @Test(arguments: [
        ["diff", "--database", "own.sqlite", "fifo.sqlite:run", "run"],
        ["import", "--database", "own.sqlite", "new", "--entries", "fifo.sqlite"],
        ["apply", "--database", "own.sqlite", "run", "fifo.sqlite"],
        ["simulate", "--database", "own.sqlite", "fifo.sqlite"],
        ["simulate", "--database", "own.sqlite", "--layout", "fifo.sqlite", "trace.lackey"],
        ["sets", "--database", "fifo.sqlite"],
        ["init", "--database", "fifo.sqlite"],
        ["show", "--database", "fifo.sqlite", "run"],
    ])
    func aFIFOIsRefusedWithoutBlocking(arguments: [String]) throws {
        let runner = try Self.runnerWithStore()
        try Self.fifo(runner.path("fifo.sqlite"))
        try Data("==1== lackey\n I  00400000,4\n".utf8).write(to: URL(fileURLWithPath: runner.path("trace.lackey")))
        let result = try runner.run(arguments, deadline: 20)
        #expect(!result.timedOut, "mmu \(arguments.joined(separator: " ")) blocked on the FIFO")
        #expect(result.status != 0)
        #expect(result.error.contains("a FIFO, not a regular file"), "\(result.error)")
    }

    @Test func anImageWhoseMemoryIsAFIFOIsRefusedWithoutBlocking() throws {
        let runner = try Self.runnerWithStore()
        let export = try runner.run(["export", "--database", "own.sqlite", "run", "--format", "x86_64-4level", "--output", "image"], deadline: 60)
        try #require(export.status == 0, "\(export.error)")
        let memory = runner.path("image/memory.img")
        try FileManager.default.removeItem(atPath: memory)
        try Self.fifo(memory)
        let result = try runner.run(["import", "--database", "own.sqlite", "copy", "--image", "image"], deadline: 20)
        #expect(!result.timedOut, "import --image blocked on memory.img")
        #expect(result.status != 0)
        #expect(result.error.contains("memory.img") && result.error.contains("a FIFO, not a regular file"), "\(result.error)")
    }

    @Test func aSymbolicLinkIsRefusedWithTheFileToName() throws {
        let runner = try Self.runnerWithStore()
        try FileManager.default.copyItem(atPath: runner.path("own.sqlite"), toPath: runner.path("other.sqlite"))
        try FileManager.default.createSymbolicLink(atPath: runner.path("link.sqlite"), withDestinationPath: runner.path("other.sqlite"))
        let result = try runner.run(["diff", "--database", "own.sqlite", "link.sqlite:run", "run"], deadline: 20)
        #expect(result.status == 2)
        #expect(result.error.contains("is a symbolic link") && result.error.contains("other.sqlite"), "\(result.error)")
        let direct = try runner.run(["diff", "--database", "own.sqlite", "other.sqlite:run", "run"], deadline: 20)
        #expect(direct.status == 0, "\(direct.error)")
    }

    /// A copy of `own.sqlite` grown to `bytes` whose header claims every page of it; `written`
    /// says whether the growth is real data or a hole.
    static func inflated(_ runner: DeadlineRunner, bytes: UInt64, written: Bool) throws -> String {
        let path = runner.path("big.sqlite")
        try FileManager.default.copyItem(atPath: runner.path("own.sqlite"), toPath: path)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let header = try handle.read(upToCount: 100) ?? Data()
        let pageSize = UInt64(header[16]) << 8 | UInt64(header[17])
        if written {
            try handle.seekToEnd()
            let chunk = Data(repeating: 0x5A, count: 1 << 20)
            while try handle.offset() < bytes { try handle.write(contentsOf: chunk) }
        }
        try handle.truncate(atOffset: bytes)
        let pages = UInt32(bytes / pageSize)
        try handle.seek(toOffset: 28)
        try handle.write(contentsOf: Data([UInt8(pages >> 24), UInt8(pages >> 16 & 0xFF), UInt8(pages >> 8 & 0xFF), UInt8(pages & 0xFF)]))
        return path
    }

    @Test func aSparseFileIsRefusedBeforeAnythingIsCopied() throws {
        let runner = try Self.runnerWithStore()
        _ = try Self.inflated(runner, bytes: 1 << 30, written: false)
        let result = try runner.run(["diff", "--database", "own.sqlite", "big.sqlite:run", "run"], deadline: 20)
        #expect(!result.timedOut)
        #expect(result.status == 2)
        #expect(result.error.contains("stage 'size'") && result.error.contains("sparse"), "\(result.error)")
        #expect(runner.leftovers().isEmpty, "left behind: \(runner.leftovers())")
    }

    /// A sparse file named as input is refused before its holes are read into memory.
    @Test(arguments: [
        ["import", "--database", "own.sqlite", "new", "--entries", "sparse.jsonl"],
        ["apply", "--database", "own.sqlite", "run", "sparse.jsonl"],
    ])
    func aSparseInputFileIsRefusedUnread(arguments: [String]) throws {
        let runner = try Self.runnerWithStore()
        try Data("{\"va\":\"0x400000\",\"pa\":\"0x1000\",\"size\":\"4KiB\",\"protection\":\"r-xu\"}\n".utf8)
            .write(to: URL(fileURLWithPath: runner.path("sparse.jsonl")))
        #expect(truncate(runner.path("sparse.jsonl"), 768 << 20) == 0)
        let result = try runner.run(arguments, deadline: 20)
        #expect(!result.timedOut)
        #expect(result.status == 1)
        #expect(result.error.contains("a sparse file"), "\(result.error)")
    }

    @Test func aKilledDiffLeavesNoPrivateCopy() throws {
        let runner = try Self.runnerWithStore()
        let length: UInt64 = 768 << 20
        _ = try Self.inflated(runner, bytes: length, written: true)
        let process = try runner.start(["diff", "--database", "own.sqlite", "big.sqlite:run", "run"])
        let descriptors = "/proc/\(process.processIdentifier)/fd"
        // Wait until the child is writing its private copy (a file under its TMPDIR, partly
        // written), then kill it there.
        var seen: String?
        let end = Date().addingTimeInterval(60)
        while seen == nil, process.isRunning, Date() < end {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: descriptors)) ?? [] {
                var status = stat()
                if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: descriptors + "/" + name),
                    target.hasPrefix(runner.temporary.path), stat(descriptors + "/" + name, &status) == 0,
                    status.st_size > 0, UInt64(status.st_size) < length
                {
                    seen = target
                }
            }
            if seen == nil { usleep(500) }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(seen != nil, "the private copy was never seen half written")
        #expect(runner.leftovers().isEmpty, "left behind after SIGKILL mid-copy of \(seen ?? "?"): \(runner.leftovers())")
    }

    @Test func aManifestListingMorePagesThanTheSparseImageHoldsIsRefusedBeforeAllocating() throws {
        let runner = try Self.runnerWithStore()
        let export = try runner.run(["export", "--database", "own.sqlite", "run", "--format", "x86_64-4level", "--output", "image"], deadline: 60)
        try #require(export.status == 0, "\(export.error)")
        let manifestURL = URL(fileURLWithPath: runner.path("image/manifest.json"))
        var manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any])
        let pages = 2_000_000
        manifest["tablePages"] = (0..<pages).map { "0x" + String($0 << 12, radix: 16) }
        try JSONSerialization.data(withJSONObject: manifest).write(to: manifestURL)
        let memory = try FileHandle(forWritingTo: URL(fileURLWithPath: runner.path("image/memory.img")))
        try memory.truncate(atOffset: UInt64(pages) << 12)
        try memory.close()
        let result = try runner.run(["import", "--database", "own.sqlite", "copy", "--image", "image"], deadline: 60)
        #expect(!result.timedOut)
        #expect(result.status == 1, "\(result.error)")
        #expect(result.error.contains("lists 2000000 table pages") && result.error.contains("bytes allocated"), "\(result.error)")
    }

    /// Names and lines from a foreign file reach the terminal with their control characters
    /// escaped: a set name carrying escape sequences in a rejected file, the same name listed
    /// by `mmu sets`, and a trace line quoted in an error.
    @Test func textFromForeignFilesIsEscapedBeforeTheTerminal() throws {
        let runner = try DeadlineRunner()
        let store = try TranslationStore(path: runner.path("own.sqlite"), creatingIfMissing: true)
        try store.createSet(named: "goodZZZZZZZZ")
        try store.map([MMUEntry(VirtualAddress(0x40_0000), to: PhysicalAddress(0x1000), protection: [.read, .user])], into: "goodZZZZZZZZ")
        try store.checkpoint()
        // The name's bytes changed in place (table and index alike): ESC [ 2 J clears the screen.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: runner.path("own.sqlite"))))
        let marker = Array("ZZZZZZZZ".utf8), hostile: [UInt8] = [0x1B, 0x5B, 0x32, 0x4A, 0x1B, 0x5B, 0x31, 0x6D]
        var index = 0
        while index + marker.count <= bytes.count {
            if Array(bytes[index..<(index + marker.count)]) == marker { bytes.replaceSubrange(index..<(index + marker.count), with: hostile) }
            index += 1
        }
        try Data(bytes).write(to: URL(fileURLWithPath: runner.path("other.sqlite")))
        try Data("==1== lackey\n I  00400000,4\n X \u{1B}]0;owned\u{7} \n".utf8).write(to: URL(fileURLWithPath: runner.path("bad.lackey")))
        let commands = [
            ["diff", "--database", "own.sqlite", "other.sqlite:goodZZZZZZZZ", "goodZZZZZZZZ"],
            ["sets", "--database", "other.sqlite"],
            ["simulate", "--database", "own.sqlite", "bad.lackey"],
        ]
        for arguments in commands {
            let result = try runner.run(arguments, deadline: 30)
            let text = result.output + result.error
            #expect(text.contains("\\u{1B}"), "mmu \(arguments.joined(separator: " ")): \(text)")
            #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "mmu \(arguments.joined(separator: " ")) printed a raw control character: \(text.debugDescription)")
        }
    }

    /// Whether a background loop should go on.
    final class Switch: @unchecked Sendable {
        private let lock = NSLock()
        private var on = true
        var isOn: Bool { lock.withLock { on } }
        func turnOff() { lock.withLock { on = false } }
    }

    /// The audit's race: while `diff` opens `swap.sqlite`, the path keeps changing between a
    /// valid store and a FIFO. A check of one and an open of the other hung 2 of 60 runs; a
    /// file opened once is either read or refused, and no run may block.
    @Test func aFileSwappedForAFIFOWhileOpeningNeverBlocks() throws {
        let runner = try Self.runnerWithStore()
        let real = runner.path("real.sqlite"), pipe = runner.path("pipe.sqlite"), swap = runner.path("swap.sqlite")
        try FileManager.default.copyItem(atPath: runner.path("own.sqlite"), toPath: real)
        try Self.fifo(pipe)
        #expect(link(real, swap) == 0)
        let running = Switch()
        let stagedPaths = [runner.path("staged-0"), runner.path("staged-1")]
        let stopped = DispatchSemaphore(value: 0)
        let swapper = Thread {
            var turn = 0
            while running.isOn {
                let staged = stagedPaths[turn % 2]
                unlink(staged)
                if link(turn % 2 == 0 ? pipe : real, staged) == 0 { rename(staged, swap) }
                turn += 1
            }
            stopped.signal()
        }
        swapper.start()
        // The swapper stops before the runner's directory is removed.
        defer {
            running.turnOff()
            stopped.wait()
        }
        var outcomes: [Int32: Int] = [:]
        for _ in 0..<60 {
            let result = try runner.run(["diff", "--database", "own.sqlite", "swap.sqlite:run", "run"], deadline: 20)
            #expect(!result.timedOut, "diff blocked on the swapped file")
            if result.timedOut { break }
            outcomes[result.status, default: 0] += 1
            #expect(result.status == 0 || result.error.contains("not a regular file") || result.error.contains("cannot read"), "\(result.error)")
        }
        print("swap race: exit statuses \(outcomes.sorted { $0.key < $1.key })")
    }
}
