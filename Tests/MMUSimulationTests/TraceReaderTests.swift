#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MMUCore
import MMUDemo
import MMUTraces
import Testing

struct TraceReaderTests {
    func read(_ fixture: TraceFixture) throws -> (events: [TraceEvent], statistics: TraceStatistics) {
        let reader = try TraceReader(contentsOf: try #require(fixture.path))
        #expect(reader.format == fixture.format)
        let events = try reader.readAll()
        return (events, reader.statistics)
    }

    @Test func listingTraceGolden() throws {
        let (events, statistics) = try read(.listing)
        #expect(statistics.lines == 42)
        #expect(
            [statistics.mmaps, statistics.munmaps, statistics.mprotects, statistics.brks, statistics.execs, statistics.exits]
                == [30, 1, 5, 3, 1, 1] as [Int])
        #expect([statistics.failedCalls, statistics.otherCalls, statistics.forks, statistics.badLines] == [0, 1, 0, 0] as [Int])
        #expect(events.count == 41)
        #expect(events.allSatisfy { $0.processID == 9318 })
        #expect(events[0] == TraceEvent(processID: 9318, lineNumber: 1, action: .exec(path: "/bin/ls")))
        #expect(
            events[1] == TraceEvent(processID: 9318, lineNumber: 2, action: .systemCall(.brk(requested: nil, result: VirtualAddress(0x5565_21b7_6000)))))
        #expect(
            events[2].action
                == .systemCall(
                    .mmap(
                        SystemCall.MapRequest(
                            address: nil, length: 8192, protection: [.read, .write, .user], flags: .anonymous,
                            result: VirtualAddress(0x7f18_62a9_d000)))))
        let libc = events.compactMap { event -> SystemCall.MapRequest? in
            if case .systemCall(.mmap(let request)) = event.action, request.path.hasSuffix("libc.so.6") { return request }
            return nil
        }
        #expect(libc.count == 4)
        #expect(libc[1].flags == [.fixed] && libc[1].protection == [.read, .execute, .user] && libc[1].fileDescriptor == 3)
        #expect(libc[1].offset == 0x26000)
        #expect(events[26].action == .systemCall(.brk(requested: VirtualAddress(0x5565_21b9_7000), result: VirtualAddress(0x5565_21b9_7000))))
        #expect(events.last == TraceEvent(processID: 9318, lineNumber: 42, action: .exit))
    }

    @Test func forkTraceWrittenToStandardErrorGolden() throws {
        let (events, statistics) = try read(.pythonFork)
        #expect(statistics.lines == 60)
        #expect(
            [statistics.mmaps, statistics.munmaps, statistics.mprotects, statistics.brks, statistics.mremaps]
                == [30, 5, 6, 8, 1] as [Int])
        #expect([statistics.forks, statistics.execs, statistics.exits] == [1, 1, 2] as [Int])
        // The clone cut by "strace: Process 9364 attached" is joined; the notice and SIGCHLD are skipped.
        #expect(statistics.ignoredLines == 2)
        #expect(statistics.resumedCalls == 1)
        #expect(statistics.otherCalls == 3)
        let fork = try #require(events.first { if case .fork = $0.action { true } else { false } })
        #expect(fork == TraceEvent(processID: nil, lineNumber: 45, action: .fork(child: 9364, sharesMemory: false)))
        // "[pid 9363]" is the initial process, which printed no pid until the fork.
        #expect(Set(events.map(\.processID)) == [nil, 9364])
        #expect(events.filter { $0.processID == 9364 }.count == 4)
        #expect(
            events.contains(
                TraceEvent(
                    processID: 9364, lineNumber: 48,
                    action: .systemCall(
                        .mremap(
                            SystemCall.RemapRequest(
                                oldAddress: VirtualAddress(0x7fc7_4f37_c000), oldLength: 1 << 20, newLength: 2 << 20,
                                flags: .mayMove, result: VirtualAddress(0x7fc7_4f17_c000)))))))
        #expect(events.last == TraceEvent(processID: nil, lineNumber: 60, action: .exit))
    }

    @Test func memoryOnlyTraceGolden() throws {
        let (events, statistics) = try read(.shellMemoryOnly)
        #expect(statistics.lines == 72)
        #expect([statistics.mmaps, statistics.munmaps, statistics.mprotects, statistics.brks] == [46, 3, 11, 7] as [Int])
        #expect([statistics.forks, statistics.execs, statistics.exits, statistics.ignoredLines] == [0, 0, 3, 2] as [Int])
        #expect(Set(events.compactMap(\.processID)) == [9368, 9369, 9370] as Set<Int32>)
    }

    @Test func lackeyTraceGolden() throws {
        let (events, statistics) = try read(.lackeyDemo)
        #expect(statistics.lines == 55795)
        #expect(
            [statistics.instructions, statistics.loads, statistics.stores, statistics.modifies, statistics.ignoredLines]
                == [45211, 7430, 2304, 825, 25] as [Int])
        #expect(events.count == statistics.accesses)
        #expect(events.allSatisfy { $0.processID == 9376 })
        #expect(events[0] == TraceEvent(processID: 9376, lineNumber: 7, action: .access(RecordedAccess(.instruction, at: VirtualAddress(0x4014f0), size: 2))))
        let fill = events.filter {
            if case .access(let access) = $0.action { access.kind == .store && access.size == 1 && (0x480_0000..<0x4a0_0000).contains(access.address.rawValue) } else { false }
        }
        #expect(fill.count == 512)
    }

    @Test func accessesAcrossAPageBoundaryTouchBothPages() throws {
        let events = try TraceReader(text: " L 0fff,8\n S 1ff8,8\nI  2ffe,0\n", name: "t").readAll()
        let pages = events.compactMap { if case .access(let access) = $0.action { access.pages } else { nil } }
        #expect(pages == [0...1, 1...1, 2...2])
    }

    static let badStraceLines: [(String, TraceError.Reason)] = [
        ("1 this is not strace", .unrecognizedLine),
        ("1 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0", .missingResult(call: "mmap")),
        ("1 munmap(0x1000, 4096)", .missingResult(call: "munmap")),
        ("1 munmap(0x1000) = 0", .argumentCount(call: "munmap", expected: "2", found: 1)),
        ("1 mremap(0x1000, 4096) = 0x1000", .argumentCount(call: "mremap", expected: "4 or 5", found: 2)),
        (
            "1 mmap(NULL, lots, PROT_READ, MAP_PRIVATE, -1, 0) = 0x1000",
            .invalidArgument(call: "mmap", position: 2, text: "lots", expected: "a length")
        ),
        (
            "1 mprotect(0x1000, 4096, PROT_READ|PROT_BOGUS) = 0",
            .invalidArgument(
                call: "mprotect", position: 3, text: "PROT_READ|PROT_BOGUS",
                expected: "PROT_ names (PROT_READ|PROT_WRITE|PROT_EXEC or PROT_NONE) joined by |")
        ),
        (
            "1 mmap(NULL, 4096, PROT_READ, garbage, -1, 0) = 0x1000",
            .invalidArgument(call: "mmap", position: 4, text: "garbage", expected: "MAP_ names joined by |")
        ),
        (
            "1 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, x3, 0) = 0x1000",
            .invalidArgument(call: "mmap", position: 5, text: "x3", expected: "a file descriptor")
        ),
        (
            "1 munmap(here, 4096) = 0",
            .invalidArgument(call: "munmap", position: 1, text: "here", expected: "an address")
        ),
        (
            "1 mremap(0x1000, 4096, 8192, MREMAP_SOMETIMES) = 0x1000",
            .invalidArgument(call: "mremap", position: 4, text: "MREMAP_SOMETIMES", expected: "MREMAP_ names joined by |, or 0")
        ),
        ("1 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = nowhere", .invalidResult(call: "mmap", text: "nowhere")),
        ("1 clone(child_stack=NULL, flags=SIGCHLD) = child", .invalidResult(call: "clone", text: "child")),
        ("[pid abc] munmap(0x1000, 4096) = 0", .invalidProcessID("abc")),
        ("1 <... mmap resumed>) = 0x1000", .unmatchedResume(call: "mmap")),
    ]

    @Test(arguments: badStraceLines)
    func malformedStraceLineNamesFileLineAndReason(line: String, reason: TraceError.Reason) throws {
        let text = "1 brk(NULL) = 0x1000\n" + line + "\n"
        let reader = try TraceReader(text: text, name: "bad.strace", format: .strace)
        #expect(try reader.next() != nil)
        #expect(throws: TraceError(file: "bad.strace", lineNumber: 2, line: line, reason: reason)) { _ = try reader.next() }
        let error = TraceError(file: "bad.strace", lineNumber: 2, line: line, reason: reason)
        #expect(error.description.hasPrefix("bad.strace:2: "))
        #expect(error.description.contains("expected \(reason.expected)"))
        #expect(error.description.hasSuffix(line))
    }

    @Test func unfinishedCallsMustBeResumedByTheSameCall() throws {
        let unfinished = "7 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0 <unfinished ...>\n"
        #expect(throws: TraceError(file: "t", lineNumber: 2, line: "7 <... munmap resumed>) = 0", reason: .resumeMismatch(pending: "mmap", resumed: "munmap"))) {
            _ = try TraceReader(text: unfinished + "7 <... munmap resumed>) = 0\n", name: "t").readAll()
        }
        #expect(throws: TraceError(file: "t", lineNumber: 2, line: "7 munmap(0x1000, 4096) = 0", reason: .callWhileUnfinished(pending: "mmap"))) {
            _ = try TraceReader(text: unfinished + "7 munmap(0x1000, 4096) = 0\n", name: "t").readAll()
        }
        let events = try TraceReader(text: unfinished + "8 brk(NULL) = 0x5000\n7 <... mmap resumed>) = 0x7000\n", name: "t").readAll()
        #expect(events.map(\.processID) == [8, 7] as [Int32?])
        #expect(
            events[1].action
                == .systemCall(.mmap(SystemCall.MapRequest(address: nil, length: 4096, protection: [.read, .user], flags: .anonymous, result: VirtualAddress(0x7000)))))
    }

    @Test func childLinesBeforeTheirCloneReturnsAreHeldBack() throws {
        let text = """
            10 clone(child_stack=NULL, flags=CLONE_CHILD_SETTID|SIGCHLD <unfinished ...>
            11 brk(NULL) = 0x9000
            10 <... clone resumed>, child_tidptr=0x7f0) = 11
            10 clone3({flags=CLONE_VM|CLONE_THREAD, stack=0x7f00, stack_size=0x1000} => {parent_tid=[12]}, 88) = 12
            12 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 ENOMEM (Cannot allocate memory)
            10 vfork() = 13
            13 execve("/bin/true", ["true"], 0x7ff /* 3 vars */) = 0
            13 +++ exited with 0 +++
            """
        let reader = try TraceReader(text: text, name: "t")
        let events = try reader.readAll()
        #expect(
            events.map(\.action) == [
                .fork(child: 11, sharesMemory: false), .systemCall(.brk(requested: nil, result: VirtualAddress(0x9000))),
                .fork(child: 12, sharesMemory: true), .fork(child: 13, sharesMemory: true), .exec(path: "/bin/true"), .exit,
            ])
        #expect(events.map(\.processID) == [10, 11, 10, 10, 13, 13] as [Int32?])
        #expect(reader.statistics.failedCalls == 1)
    }

    @Test func timestampsDurationsAndPidPrefixesAreRead() throws {
        let text = """
            [pid  42] 10:20:30.123456 munmap(0x1000, 4096) = 0 <0.000012>
            42 1700000000.5 mprotect(0x2000, 4096, PROT_NONE) = 0
            """
        let events = try TraceReader(text: text, name: "t", format: .strace).readAll()
        #expect(events.map(\.processID) == [42, 42] as [Int32?])
        #expect(events[1].action == .systemCall(.mprotect(address: VirtualAddress(0x2000), length: 4096, protection: .user)))
    }

    static let badLackeyLines: [(String, TraceError.Reason)] = [
        (" X 0400,4", .unknownAccessKind("X")),
        ("Q", .unknownAccessKind("Q")),
        (" L0400,4", .unknownAccessKind("L0400,4")),
        (" L zz00,4", .invalidAddress("zz00")),
        (" L 12345678901234567,4", .invalidAddress("12345678901234567,4")),
        (" L 0400", .missingSize),
        (" L 0400,abc", .invalidSize("abc")),
        (" L 0400,99999999999", .invalidSize("99999999999")),
        (" L ffffffffffffffff,8", .addressOverflow),
        (" L 0400,4 extra", .trailingCharacters("extra")),
    ]

    @Test(arguments: badLackeyLines)
    func malformedLackeyLineNamesFileLineAndReason(line: String, reason: TraceError.Reason) throws {
        let reader = try TraceReader(text: "==5== banner\nI  0400,3\n" + line + "\n", name: "bad.lackey", format: .lackey)
        #expect(try reader.next() != nil)
        #expect(throws: TraceError(file: "bad.lackey", lineNumber: 3, line: line, reason: reason)) { _ = try reader.next() }
    }

    /// The batched reading that replays use (``TraceReader/readToEnd()`` and a simulator's run)
    /// refuses a malformed line as the line-by-line reading does, after the lines before it.
    @Test(arguments: badLackeyLines)
    func readingToTheEndRefusesAMalformedLackeyLineAsReadingEventsDoes(line: String, reason: TraceError.Reason) throws {
        let reader = try TraceReader(text: "==5== banner\nI  0400,3\n" + line + "\n S 0500,8\n", name: "bad.lackey", format: .lackey)
        #expect(throws: TraceError(file: "bad.lackey", lineNumber: 3, line: line, reason: reason)) { try reader.readToEnd() }
        #expect(reader.statistics.instructions == 1 && reader.statistics.stores == 0)
    }

    /// Lines spelled other than lackey prints them (the parser's slow path) read as the same
    /// accesses, batched or one by one.
    @Test func readingToTheEndCountsWhatReadingEventsReads() throws {
        let text = "==5== banner\nI  04aB,3\n   L   0400,4\r\n S 0FFF,8 \nSB 0400\n\n M 0600,0\n L ffffffffffffffff,1\n"
        let events = try TraceReader(text: text, name: "t", format: .lackey)
        let all = try events.readAll()
        let batched = try TraceReader(text: text, name: "t", format: .lackey)
        try batched.readToEnd()
        #expect(all.count == 5)
        #expect(batched.statistics == events.statistics)
        let skipping = TraceParsingOptions(skipBadLines: true)
        let bad = "I  0400,3\n L zz,4\n S 0500,8\n?\n M 0600,4\n L 0700\n"
        let lineByLine = try TraceReader(text: bad, name: "mixed", options: skipping)
        _ = try lineByLine.readAll()
        let inBatches = try TraceReader(text: bad, name: "mixed", options: skipping)
        try inBatches.readToEnd()
        #expect(inBatches.statistics == lineByLine.statistics)
        #expect(inBatches.statistics.badLines == 3)
    }

    @Test func skipBadLinesCountsThemAndKeepsTheFirst() throws {
        let text = "I  0400,3\n L zz,4\n S 0500,8\n?\n M 0600,4\n L 0700\n"
        let reader = try TraceReader(text: text, name: "mixed", options: TraceParsingOptions(skipBadLines: true))
        let events = try reader.readAll()
        #expect(events.count == 3)
        #expect(reader.statistics.badLines == 3)
        #expect(reader.statistics.firstBadLine == TraceError(file: "mixed", lineNumber: 2, line: " L zz,4", reason: .invalidAddress("zz")))
        let strace = try TraceReader(
            text: "1 brk(NULL) = 0x1000\n1 munmap(0x1000) = 0\n1 brk(0x2000) = 0x2000\n", name: "s",
            options: TraceParsingOptions(skipBadLines: true))
        #expect(try strace.readAll().count == 2)
        #expect(strace.statistics.badLines == 1)
    }

    @Test func filesLargerThanOneChunkAndVeryLongLinesAreReadWhole() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-trace-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let lackey = directory.appendingPathComponent("big.lackey").path
        let lines: [String] = (0..<150_000).map { " L \(String(0x1000_0000 + $0 * 8, radix: 16)),8\n" }
        try lines.joined().write(toFile: lackey, atomically: true, encoding: .utf8)
        let events = try TraceReader(contentsOf: lackey).readAll()
        #expect(events.count == 150_000)
        let addresses: [UInt64] = events.map { event -> UInt64 in
            if case .access(let access) = event.action { return access.address.rawValue }
            return 0
        }
        let expected: [UInt64] = (0..<150_000).map { 0x1000_0000 + UInt64($0) * 8 }
        #expect(addresses == expected)
        #expect(events.last?.lineNumber == 150_000)
        let strace = directory.appendingPathComponent("long.strace").path
        let argument = String(repeating: "x", count: 3 << 20)
        try "1 execve(\"/bin/\(argument)\", [\"a\"], 0x7ff /* 1 var */) = 0\n1 munmap(0x1000, 4096) = 0\n"
            .write(toFile: strace, atomically: true, encoding: .utf8)
        let long = try TraceReader(contentsOf: strace, options: TraceParsingOptions(maximumLineLength: 4 << 20)).readAll()
        #expect(long.map(\.lineNumber) == [1, 2] as [Int])
        #expect(long.first?.action == .exec(path: "/bin/" + argument))
        let length = 3 << 20 + 47
        #expect(throws: TraceError(file: strace, lineNumber: 1, line: "1 execve(\"/bin/" + String(repeating: "x", count: 105) + "…", reason: .lineTooLong(length: length, limit: 64 << 10))) {
            _ = try TraceReader(contentsOf: strace).readAll()
        }
    }

    /// A very long bad line: refused after its first 64 KiB with its length, quoted in at most
    /// 120 escaped characters, quickly and in bounded memory; skipped with the lines after it
    /// still read.
    @Test(arguments: [true, false])
    func aVeryLongLineFailsFastWithAShortEscapedExcerpt(fromFile: Bool) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-long-\(getpid())-\(fromFile)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = "==1== banner\n L 00400000,8\n L 0040" + String(repeating: "\u{1b}[2J", count: 2_500_000) + "\n S 00400008,8\n"
        let path = directory.appendingPathComponent("long.lackey").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        func reader(_ options: TraceParsingOptions) throws -> TraceReader {
            fromFile ? try TraceReader(contentsOf: path, options: options) : try TraceReader(text: text, name: path, options: options)
        }
        let clock = ContinuousClock()
        let start = clock.now
        let strict = try reader(TraceParsingOptions())
        #expect(try strict.next() != nil)
        #expect {
            _ = try strict.next()
        } throws: { error in
            guard let error = error as? TraceError, case .lineTooLong(let length, let limit) = error.reason else { return false }
            let message = "\(error)"
            return length == 10_000_007 && limit == 65_536 && error.lineNumber == 3 && message.count < 1_200
                && message.hasPrefix("\(path):3: the line is 10000007 bytes long") && !message.contains("\u{1b}")
                && message.contains(#"\u{1B}[2J"#)
        }
        #expect(clock.now - start < .seconds(5))
        let lenient = try reader(TraceParsingOptions(skipBadLines: true))
        #expect(try lenient.readAll().map(\.lineNumber) == [2, 4] as [Int])
        #expect(lenient.statistics.badLines == 1)
        #expect(lenient.statistics.lines == 4)
        #expect((lenient.statistics.firstBadLine?.line.count ?? 0) <= 121)
    }

    /// The limit is inclusive: a line of exactly the limit is parsed (and here found bad for
    /// what it holds), one byte more is too long.
    @Test func aLineOfExactlyTheLimitIsRead() throws {
        let limit = 100
        let atLimit = " L 0400,4 " + String(repeating: "y", count: limit - 10)
        let reader = try TraceReader(text: atLimit + "\n" + atLimit + "y\n", name: "edge", format: .lackey, options: TraceParsingOptions(maximumLineLength: limit))
        #expect(throws: TraceError(file: "edge", lineNumber: 1, line: atLimit, reason: .trailingCharacters(String(repeating: "y", count: limit - 10)))) {
            _ = try reader.next()
        }
        #expect(throws: TraceError(file: "edge", lineNumber: 2, line: atLimit + "y", reason: .lineTooLong(length: limit + 1, limit: limit))) {
            _ = try reader.next()
        }
    }

    @Test func errorMessagesEscapeAndCutTheLine() {
        let line = " L 0400,4 \u{1b}]0;owned\u{7}" + String(repeating: "z", count: 500)
        let error = TraceError(file: "evil\u{1b}.lackey", lineNumber: 9, line: line, reason: .trailingCharacters(String(line.dropFirst(10))))
        let message = "\(error)"
        #expect(!message.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(message.contains(#"evil\u{1B}.lackey:9: trailing '\u{1B}]0;owned\u{7}zzz"#), "\(message)")
        #expect(message.count < 400)
        #expect(error.line.count == 121)
    }

    @Test func unreadableAndUnknownTracesAreErrors() {
        #expect(throws: TraceError(file: "/nonexistent/trace", lineNumber: 0, line: "", reason: .unreadable("No such file or directory"))) {
            _ = try TraceReader(contentsOf: "/nonexistent/trace")
        }
        #expect(throws: TraceError(file: "notes", lineNumber: 0, line: "", reason: .unknownFormat)) {
            _ = try TraceReader(text: "hello\nworld\n", name: "notes")
        }
    }

    /// A reader records where it is; a fresh reader of the same trace recognises the position
    /// and reads on from it exactly as the first did; another trace does not hold it.
    @Test(arguments: [true, false])
    func aPositionIsRecognisedAndReadOnFrom(fromFile: Bool) throws {
        let lines = ["==42== banner"] + (0..<3_000).map { " L \(String(0x40_0000 + $0 * 8, radix: 16)),8" } + ["==42== end"]
        let text = lines.joined(separator: "\n") + "\n"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-position-\(getpid())-\(fromFile)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("t.lackey").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        func open(_ text: String) throws -> TraceReader {
            if fromFile {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
                return try TraceReader(contentsOf: path)
            }
            return try TraceReader(text: text, name: path)
        }
        let first = try open(text)
        for _ in 0..<2_000 { _ = try first.next() }
        let position = try #require(first.position)
        #expect(position.line == 2_001)
        #expect(position.byteOffset == UInt64(lines[..<2_001].map { $0.utf8.count + 1 }.reduce(0, +)))
        #expect(position.file == path)
        let rest = try first.readAll()

        let second = try open(text)
        #expect(try second.holds(position))
        try second.skip(to: position)
        let resumed = try second.readAll()
        #expect(resumed.map(\.lineNumber) == rest.map(\.lineNumber))
        #expect(resumed.map(\.action) == rest.map(\.action))
        #expect(resumed.first?.lineNumber == 2_002)

        // One byte changed before the position, or a trace too short: not the same trace.
        var changed = Array(text.utf8)
        changed[Int(position.byteOffset) - 100] = UInt8(ascii: "9")
        #expect(try !open(String(decoding: changed, as: UTF8.self)).holds(position))
        #expect(try !open(String(text.prefix(Int(position.byteOffset) - 1))).holds(position))
    }

    @Test func anStracePositionIsKnownOnlyAtTheEnd() throws {
        let reader = try TraceReader(text: "1 brk(NULL) = 0x1000\n1 brk(0x3000) = 0x3000\n", name: "s.strace")
        _ = try reader.next()
        #expect(reader.position == nil)
        _ = try reader.readAll()
        #expect(reader.position?.line == 2)
    }
}
