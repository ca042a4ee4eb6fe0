#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MMUCore
@testable import MMUSimulation
import Testing

struct ProcessCaptureTests {
    /// A whole procfs file (whose size reads as 0, so Foundation's file reading cannot be trusted).
    func procText(_ path: String) throws -> String {
        String(decoding: try POSIXFile(openingForReading: path).readToEnd(), as: UTF8.self)
    }

    func ownMaps() throws -> ProcessMaps {
        try ProcessMaps(parsing: procText("/proc/self/maps"), source: "/proc/self/maps")
    }

    /// Resident 4 KiB pages per mapping start, from `/proc/self/smaps` (`Rss:` lines).
    func residentPages() throws -> [UInt64: UInt64] {
        let text = try procText("/proc/self/smaps")
        var result: [UInt64: UInt64] = [:]
        var current: UInt64?
        for line in text.split(separator: "\n") {
            if let dash = line.firstIndex(of: "-"), let start = UInt64(line[..<dash], radix: 16), line.contains(" ") {
                current = start >> 12
            } else if line.hasPrefix("Rss:"), let current,
                let kibibytes = UInt64(line.dropFirst(4).trimmingCharacters(in: .whitespaces).dropLast(3))
            {
                result[current] = kibibytes / 4
            }
        }
        return result
    }

    /// What disagrees between a capture of this process and its maps and smaps read just before
    /// and just after; empty when they agree.
    func disagreements() throws -> [String] {
        let before = try ownMaps()
        let residentBefore = try residentPages()
        let capture = try ProcessCapture.captureCurrentProcess()
        let after = try ownMaps()
        let residentAfter = try residentPages()
        var problems: [String] = []
        if capture.processID != getpid() || !capture.frameNumbersVisible { problems.append("wrong process or no frames") }
        // Every mapping present both before and after the capture is in it, with its protection.
        let stable = Set(before.mappings).intersection(after.mappings)
        if stable.count < 10 { problems.append("only \(stable.count) stable mappings") }
        for mapping in stable where !capture.areas.contains(mapping.area) {
            problems.append("\(mapping.range) \(mapping.protection) \(mapping.path) missing")
        }
        // Each entry lies in an area with the area's protection, at a real frame.
        for entry in capture.entries {
            let area = capture.areas.first { $0.range.contains(entry.range) }
            if area?.protection != entry.protection || entry.frameNumber == 0 { problems.append("entry \(entry) outside its area") }
        }
        if capture.presentPages != capture.entries.reduce(0, { $0 + Int($1.size.pageCount) }) {
            problems.append("\(capture.presentPages) present pages, entries hold others")
        }
        // Per stable file mapping that cannot be written, the pages found present lie between what
        // smaps reported just before and just after (other threads may fault pages in meanwhile).
        var compared = 0
        for mapping in stable where mapping.path.hasPrefix("/") && !mapping.protection.contains(.write) {
            guard let low = residentBefore[mapping.range.lowerPage], let high = residentAfter[mapping.range.lowerPage] else { continue }
            let present = capture.entries.filter { mapping.range.contains($0.range) }.reduce(UInt64(0)) { $0 + $1.size.pageCount }
            if !(min(low, high)...max(low, high)).contains(present) {
                problems.append("\(mapping.path) \(mapping.range): \(present) present, smaps \(low) then \(high)")
            }
            compared += 1
        }
        if compared < 5 { problems.append("only \(compared) file mappings compared with smaps") }
        return problems
    }

    @Test func captureOfThisProcessAgreesWithItsOwnMaps() throws {
        // Other tests run in this process at the same time and map and unmap memory (thread
        // stacks, allocator arenas), so a mapping can change and change back during a capture:
        // a disagreement must persist over several attempts to count.
        var attempts: [[String]] = []
        for _ in 0..<5 {
            let problems = try disagreements()
            if problems.isEmpty { break }
            attempts.append(problems)
        }
        #expect(attempts.count < 5, "\(attempts.map { $0.prefix(3) })")
    }

    @Test func transparentHugePagesAreRecognisedThroughPageFlags() throws {
        let enabled = (try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)) ?? ""
        let length = 8 << 20
        let raw = try #require(mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        defer { munmap(raw, length) }
        let aligned = UnsafeMutableRawPointer(bitPattern: (Int(bitPattern: raw) + (2 << 20) - 1) & ~((2 << 20) - 1))
        let region = try #require(aligned)
        _ = madvise(region, 4 << 20, 14)  // MADV_HUGEPAGE
        for offset in stride(from: 0, to: 4 << 20, by: 4096) { region.storeBytes(of: 1, toByteOffset: offset, as: UInt8.self) }
        let capture = try ProcessCapture.captureCurrentProcess()
        let start = VirtualAddress(UInt64(UInt(bitPattern: region)))
        let entry = try #require(capture.entries.first { $0.range.contains(start) })
        if capture.hugePagesChecked, !enabled.contains("[never]") {
            #expect(entry.size == .size2MiB)
            #expect(entry.virtualAddress == start)
            #expect(capture.hugePages >= 1)
        } else {
            #expect(entry.size == .size4KiB)
        }
    }

    @Test func hiddenFrameNumbersGiveAreasAndCountsButNoEntries() throws {
        let maps = try ProcessMaps(
            parsing: "00400000-00403000 r-xp 00000000 fe:00 12 /bin/x\n00600000-00602000 rw-p 00000000 00:00 0 \n",
            source: "maps")
        let present: UInt64 = 1 << 63, swapped: UInt64 = 1 << 62, file: UInt64 = 1 << 61
        let capture = ProcessCapture.assemble(
            processID: 5, maps: maps, pagemap: [[present | file, present | file, 0], [swapped | 0x3e, present]], pageFlags: nil)
        #expect(!capture.frameNumbersVisible)
        #expect(capture.entries.isEmpty)
        #expect(capture.areas.count == 2)
        let counts: [Int] = [capture.presentPages, capture.swappedPages, capture.fileBackedPages, capture.unreadablePages]
        #expect(counts == [3, 1, 2, 0])
    }

    @Test func framesAndHugePagesFromPagemapWords() throws {
        let maps = try ProcessMaps(parsing: "00200000-00800000 rw-p 00000000 00:00 0 [heap]\n", source: "maps")
        let present: UInt64 = 1 << 63
        var words = [UInt64](repeating: 0, count: 0x600)
        for index in 0..<512 { words[index] = present | (0x40000 + UInt64(index)) }
        for index in 512..<1024 { words[index] = present | (0x50000 + UInt64(index)) }
        words[1024] = present | 0x777
        let flags: (UInt64) -> UInt64? = { frame in frame == 0x40000 ? (1 << 22 | 1 << 15) : 0 }
        let capture = ProcessCapture.assemble(processID: 5, maps: maps, pagemap: [Array(words.prefix(0x500))], pageFlags: flags)
        #expect(capture.hugePages == 1)
        #expect(capture.entries.first == MMUEntry(VirtualAddress(0x20_0000), to: PhysicalAddress(0x4000_0000), size: .size2MiB, protection: [.read, .write, .user]))
        #expect(capture.entries.count == 1 + 512 + 1)
        #expect(capture.unreadablePages == 0x100)
        #expect(capture.areas == [MemoryArea(range: VirtualRange(pages: 0x200..<0x800), protection: [.read, .write, .user], kind: .heap, name: "[heap]")])
        var set = TranslationSet(architecture: .x86_64FourLevel)
        try set.update { tx in try capture.apply(to: tx) }
        #expect(set.entries == capture.entries)
        #expect(set.areas == capture.areas)
    }

    @Test func aMissingProcessIsNamed() {
        #expect(throws: CaptureError.noSuchProcess(Int32.max)) { _ = try ProcessCapture.capture(processID: Int32.max) }
    }

    @Test func aProcessThatHasExitedIsNotCaptured() throws {
        var pid: pid_t = 0
        let arguments = ["/bin/true"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        #expect(posix_spawn(&pid, "/bin/true", nil, nil, &argv, environ) == 0)
        defer {
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        var state = ""
        for _ in 0..<200 where !state.contains(") Z") {
            usleep(10_000)
            state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        }
        #expect(state.contains(") Z"))
        // A zombie has no memory: the capture stops at the first file that shows it (its pagemap).
        #expect(throws: CaptureError.processExited(pid, file: "/proc/\(pid)/pagemap")) { _ = try ProcessCapture.capture(processID: pid) }
    }

    @Test func malformedMapsLinesAreNamed() {
        #expect(throws: CaptureError.malformedMaps(file: "m", lineNumber: 2, line: "nonsense")) {
            _ = try ProcessMaps(parsing: "00400000-00401000 r--p 00000000 fe:00 1 /x\nnonsense\n", source: "m")
        }
        #expect(throws: CaptureError.malformedMaps(file: "m", lineNumber: 1, line: "00400000-00401000 rq-p 00000000 fe:00 1")) {
            _ = try ProcessMaps(parsing: "00400000-00401000 rq-p 00000000 fe:00 1", source: "m")
        }
    }

    @Test func layoutOfTheLackeyFixtureIsRead() throws {
        let areas = try TraceFixture.lackeyDemo.layout()
        #expect(areas.count == 26)
        #expect(areas.contains(MemoryArea(range: VirtualRange(pages: 0x4c00..<0x4c01), protection: [.read, .user], kind: .anonymous)))
        #expect(areas.last?.name == "[vsyscall]" && areas.last?.kind == .special)
    }
}
