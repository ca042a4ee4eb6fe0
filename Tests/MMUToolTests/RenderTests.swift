import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import MMUCore
import MMURender
import MMUStore
import MMUTestSupport
import Testing

/// `mmu render` in a real browser: Chromium headless loads the page from disk, and the tests
/// read its pixels, its DOM and its console.
@Suite(.serialized) struct RenderTests {
    /// A set with a 2 MiB page, a kernel-only page, a global page and a hot page, over three
    /// generations and a snapshot.
    static func fixture() throws -> ToolRunner {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try runner.succeed(["sets", "create", "p", "--architecture", "x86_64-4level"])
        try runner.succeed(["map", "p", "0x400000", "0x10000", "-p", "r-xu", "--count", "4"])
        try runner.succeed(["map", "p", "0x600000", "0x40000000", "-p", "rw-u", "--count", "512"])
        try runner.succeed(["snapshot", "p", "warm"])
        try runner.succeed(["apply", "p"], input: """
            {"op":"resize","va":"0x600000","size":"2MiB"}
            {"op":"map","va":"0xffff800000000000","pa":"0x80000000","size":"2MiB","protection":"rw--"}
            {"op":"global","va":"0xffff800000000000","length":"0x200000"}
            {"op":"map","va":"0xffff800000400000","pa":"0x90000000","size":"4KiB","protection":"rw--"}
            {"op":"access","va":"0x401000","write":true,"count":50}
            {"op":"access","va":"0x402000","count":2}

            """)
        try runner.succeed(["protect", "p", "0x403000", "4K", "r--u"])
        return runner
    }

    /// The screenshot pixel in the middle of `address`'s page (of `size` bytes) on `track`.
    static func pixel(of address: UInt64, size: UInt64 = 4096, on track: Range<Double>, in map: AddressSpaceMap) throws -> (x: Int, y: Int) {
        let page = address >> 12
        let x = try #require(map.axis.x(ofPages: page..<(page + size / 4096)))
        return (Int((x.lowerBound + x.upperBound) / 2), Int((track.lowerBound + track.upperBound) / 2))
    }

    @Test func theMapShowsKnownColoursAtKnownAddressesWithoutConsoleMessages() throws {
        let runner = try Self.fixture()
        try runner.succeed(["render", "p"])
        let page = runner.directory.appendingPathComponent("p.html")
        let map = try AddressSpaceMap(store: TranslationStore(readingAt: runner.directory.appendingPathComponent("mmu.sqlite").path), set: "p")
        let huge = try Self.pixel(of: 0x600000, size: 2 << 20, on: RenderLayout.entries, in: map)
        let kernel = try Self.pixel(of: 0xffff_8000_0040_0000, on: RenderLayout.entries, in: map)
        let global = try Self.pixel(of: 0xffff_8000_0000_0000, size: 2 << 20, on: RenderLayout.global, in: map)
        let hot = try Self.pixel(of: 0x401000, on: RenderLayout.heat, in: map)

        let bySize = runner.directory.appendingPathComponent("size.png")
        let sized = try HeadlessBrowser.screenshot(of: page, to: bySize)
        #expect(sized.console.isEmpty, "console: \(sized.console)")
        let sizeColours = try HeadlessBrowser.colours(in: bySize, at: [huge, kernel, global, hot])
        #expect(sizeColours == ["#59a14f", "#4e79a7", RenderPalette.global, RenderPalette.heatHot])

        let byProtection = runner.directory.appendingPathComponent("protection.png")
        let protected = try HeadlessBrowser.screenshot(of: page, fragment: "colour=protection", to: byProtection)
        #expect(protected.console.isEmpty, "console: \(protected.console)")
        let protectionColours = try HeadlessBrowser.colours(in: byProtection, at: [huge, kernel])
        #expect(protectionColours == [RenderPalette.colour(of: [.read, .write, .user]), RenderPalette.colour(of: [.read, .write])])
        #expect(RenderPalette.colour(of: [.read, .write]) == "#7a1f5c")
        // The colour check can fail: by protection, the 2 MiB page is not the page-size green.
        #expect(protectionColours[0] != sizeColours[0])
    }

    @Test func theConsoleCheckSeesARequestThePageAttempts() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try runner.succeed(["sets", "create", "p"])
        try runner.succeed(["render", "p"])
        let page = runner.directory.appendingPathComponent("p.html")
        let clean = try HeadlessBrowser.dom(of: page)
        #expect(clean.console.isEmpty, "console: \(clean.console)")
        #expect(clean.dom.contains("data-ready=\"1\""))
        // Plant a request into the page: its policy refuses it and the console reports it.
        let planted = try String(contentsOf: page, encoding: .utf8)
            .replacingOccurrences(of: "</body>", with: "<script>fetch('http://192.0.2.1/x').catch(function () {});</script><img src=\"http://192.0.2.1/y.png\"></body>")
        let bad = runner.directory.appendingPathComponent("planted.html")
        try planted.write(to: bad, atomically: true, encoding: .utf8)
        let caught = try HeadlessBrowser.dom(of: bad)
        #expect(caught.console.contains { $0.contains("192.0.2.1") }, "console: \(caught.console)")
    }

    /// The entries of the page's listing (`VA COUNT SIZE PA PROTECTION global|- CACHE` per run), one per entry.
    static func listedEntries(_ dom: String) throws -> Set<String> {
        let start = try #require(dom.range(of: "<pre id=\"listing\">"))
        let end = try #require(dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex))
        var entries: Set<String> = []
        for line in dom[start.upperBound..<end.lowerBound].split(separator: "\n") {
            let field = line.split(separator: " ").map(String.init)
            try #require(field.count == 7, "listing line \(line)")
            let count = try #require(UInt64(field[1])), bytes = try #require(Self.bytes(field[2]))
            let va = try #require(UInt64(field[0].dropFirst(2), radix: 16)), pa = try #require(UInt64(field[3].dropFirst(2), radix: 16))
            for index in 0..<count {
                entries.insert("0x\(String(va + index * bytes, radix: 16)) 0x\(String(pa + index * bytes, radix: 16)) \(field[2]) \(field[4]) \(field[5] == "global") \(field[6])")
            }
        }
        return entries
    }

    static func bytes(_ size: String) -> UInt64? {
        for (unit, shift) in [("KiB", 10), ("MiB", 20), ("GiB", 30), ("TiB", 40)] where size.hasSuffix(unit) {
            return UInt64(size.dropLast(3)).map { $0 << UInt64(shift) }
        }
        return nil
    }

    /// The entries `mmu show SET --json` prints, in the listing's form.
    static func shownEntries(_ json: String) throws -> Set<String> {
        var entries: Set<String> = []
        for line in json.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            guard object["record"] as? String == "entry" else { continue }
            entries.insert("\(object["va"] ?? "") \(object["pa"] ?? "") \(object["size"] ?? "") \(object["protection"] ?? "") \(object["global"] as? Bool ?? false) \(object["cache"] ?? "")")
        }
        return entries
    }

    @Test func theHistoryViewAtEachGenerationEqualsShow() throws {
        let runner = try Self.fixture()
        try runner.succeed(["render", "p"])
        let page = runner.directory.appendingPathComponent("p.html")
        for generation in 0...3 {
            let loaded = try HeadlessBrowser.dom(of: page, fragment: "g=\(generation)")
            #expect(loaded.console.isEmpty, "console: \(loaded.console)")
            #expect(loaded.dom.contains("data-generation=\"\(generation)\""))
            let shown = try Self.shownEntries(try runner.succeed(["show", "p@\(generation)", "--json"]))
            #expect(!shown.isEmpty)
            #expect(try Self.listedEntries(loaded.dom) == shown, "generation \(generation)")
        }
    }

    @Test func theDiffViewCountsEqualMmuDiff() throws {
        let runner = try ToolRunner()
        try runner.succeed(["demo", "--database", "demo.sqlite"])
        let sets = try runner.succeed(["sets", "-d", "demo.sqlite", "--json"]).split(separator: "\n").compactMap {
            (try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["name"] as? String
        }
        let thp = try #require(sets.first { $0.hasPrefix("c-thp-") }), small = try #require(sets.first { $0.hasPrefix("c-4k-") })
        for (old, new) in [("\(thp)@0", thp), (thp, small), ("python@1", "python")] {
            try runner.succeed(["render", "-d", "demo.sqlite", old, "--compare", new, "-o", "diff.html", "--force"])
            let loaded = try HeadlessBrowser.dom(of: runner.directory.appendingPathComponent("diff.html"))
            #expect(loaded.console.isEmpty, "console: \(loaded.console)")
            let diff = try runner.run(["diff", "-d", "demo.sqlite", old, new, "--json"])
            let summary = try #require(diff.output.split(separator: "\n").last.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
            var expected: [String] = [], shown: [String] = []
            for (section, ranges, bytes) in [("entries", "ranges", "bytes"), ("areas", "areaRanges", "areaBytes")] {
                let counts = try #require(summary[ranges] as? [String: Int]), sizes = try #require(summary[bytes] as? [String: Int])
                for kind in counts.keys.sorted() { expected.append("\(section) \(kind) \(counts[kind] ?? -1) \(sizes[kind] ?? -1)") }
            }
            let rows = try Regex(#"data-section="(\w+)" data-kind="(\w+)" data-ranges="(\d+)" data-bytes="(\d+)""#)
            for match in loaded.dom.matches(of: rows) {
                shown.append(match.output.map { $0.substring.map(String.init) ?? "" }.dropFirst().joined(separator: " "))
            }
            #expect(shown.sorted() == expected.sorted(), "\(old) -> \(new)")
            #expect(expected.contains { !$0.hasSuffix(" 0 0") }, "the comparison \(old) -> \(new) should differ")
            // Each kind of change is drawn on its track.
            if (summary["totalRanges"] as? Int ?? 0) > 0 { #expect(loaded.dom.contains("<g id=\"track-changes\"><rect")) }
            if (summary["totalAreaRanges"] as? Int ?? 0) > 0 { #expect(loaded.dom.contains("<g id=\"track-area-changes\"><rect")) }
        }
        try runner.succeed(["render", "-d", "demo.sqlite", thp, "-o", "demo.html"])
        let artefacts = PythonEnvironment.packageRoot.appendingPathComponent(".build/render-artefacts")
        try FileManager.default.createDirectory(at: artefacts, withIntermediateDirectories: true)
        let screenshot = try HeadlessBrowser.screenshot(of: runner.directory.appendingPathComponent("demo.html"), to: artefacts.appendingPathComponent("demo-c-thp.png"))
        #expect(screenshot.console.isEmpty, "console: \(screenshot.console)")
    }

    /// The checksum the page puts on `#status` with `#digest` in its fragment, computed here
    /// from the library's runs and counters: FNV-1a over each value's low and high 32 bits (per
    /// run its first page, entries, page shift, protection, attributes, cache mode index, first
    /// frame, born and died plus one; per counter its page, accesses, writes and faults).
    static func digest(of map: AddressSpaceMap) -> UInt32 {
        var digest: UInt32 = 0x811c_9dc5
        func add(_ values: [UInt64]) {
            for value in values {
                digest = (digest ^ UInt32(truncatingIfNeeded: value)) &* 16_777_619
                digest = (digest ^ UInt32(truncatingIfNeeded: value >> 32)) &* 16_777_619
            }
        }
        for run in map.runs {
            add([
                run.firstPage, UInt64(run.count), UInt64(run.size.shift), UInt64(run.protection.rawValue), UInt64(run.attributes.rawValue),
                CacheMode.allCases.firstIndex(of: run.cacheMode).map(UInt64.init) ?? .max, run.firstFrame, UInt64(run.born), run.died.map { UInt64($0) + 1 } ?? 0,
            ])
        }
        for (page, activity) in map.activity { add([page, activity.accesses, activity.writes, activity.faults]) }
        return digest
    }

    @Test func aLargePagesDataRoundTrips() throws {
        // 100,000 pages and a hot heap of 2,000, then ten generations each remapping and
        // unmapping pages at random places and counting accesses and faults: tens of thousands
        // of runs, frames far from their pages, counters up to a million.
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try runner.succeed(["sets", "create", "big", "--architecture", "x86_64-4level"])
        let store = try TranslationStore(path: runner.directory.appendingPathComponent("mmu.sqlite").path)
        var generator = SplitMix64(seed: 16)
        let pages: UInt64 = 100_000, heap: UInt64 = 2_000
        try store.update(set: "big", label: "load") { tx in
            for page in 0..<pages {
                try tx.map(VirtualAddress(0x7f00_0000_0000 + page << 12), to: PhysicalAddress(0x1_0000_0000 + page << 12), protection: [.read, .write, .user])
            }
            for page in 0..<heap {
                try tx.map(VirtualAddress(0x5555_0000_0000 + page << 12), to: PhysicalAddress(0x2_0000_0000 + page << 12), protection: [.read, .write, .user])
            }
        }
        for round in 1...10 as ClosedRange<UInt64> {
            try store.update(set: "big", label: "scatter \(round)") { tx in
                for index in 0..<3_000 as Range<UInt64> {
                    let address = VirtualAddress(0x7f00_0000_0000 + (generator.next() % pages) << 12)
                    switch index % 3 {
                    case 0:
                        try tx.map(address, to: PhysicalAddress(0x80_0000_0000 + (round << 32) + index << 12), protection: [.read, .user], replacing: true)
                    case 1:
                        try tx.clear(VirtualRange(start: address, byteCount: 4096))
                    default:
                        try tx.recordAccess(at: VirtualAddress(0x5555_0000_0000 + (generator.next() % heap) << 12), write: index % 2 == 0, count: 1 + generator.next() % 1_000_000)
                        try tx.recordFault(at: address, count: 1 + generator.next() % 100)
                    }
                }
            }
        }
        try runner.succeed(["render", "big"])
        let map = try AddressSpaceMap(store: TranslationStore(readingAt: runner.directory.appendingPathComponent("mmu.sqlite").path), set: "big")
        #expect(map.runs.count > 10_000 && map.activity.count > 1_000, "runs \(map.runs.count), counters \(map.activity.count)")
        let loaded = try HeadlessBrowser.dom(of: runner.directory.appendingPathComponent("big.html"), fragment: "digest")
        #expect(loaded.console.isEmpty, "console: \(loaded.console)")
        #expect(loaded.dom.contains("data-digest=\"\(Self.digest(of: map))\""), "the page decoded other runs or counters than the library built")
    }

    @Test func badInputIsRefusedAndNothingIsWritten() throws {
        let runner = try Self.fixture()
        let before = try FileManager.default.contentsOfDirectory(atPath: runner.directory.path).sorted()
        let cases: [([String], String)] = [
            (["render", "q"], "no translation set named 'q'"),
            (["render", "p@9"], "has no generation 9"),
            (["render", "p@cold"], "no snapshot named 'cold'"),
            (["render", "p", "--compare", "p@9"], "has no generation 9"),
            (["render", "p", "--max-runs", "2"], "--no-history"),
            (["render", "p", "--no-history", "--max-runs", "2"], "--max-runs"),
            (["render", "p", "--tables", "x86_64-4level,vax"], "unknown format 'vax'"),
            (["render", "p", "--tlb", "4K=64"], "is not SIZE:COUNT"),
            (["render", "p", "--host", "i386:1G"], "cannot map 1GiB pages"),
            (["stats", "p", "--tables", "i386", "--host", "vax"], "unknown host format 'vax'"),
        ]
        for (arguments, message) in cases {
            let result = try runner.run(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.error.contains(message), "\(arguments): \(result.error)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: runner.directory.path).sorted() == before, "\(arguments) left a file")
        }
        try Data("mine".utf8).write(to: runner.directory.appendingPathComponent("p.html"))
        let refused = try runner.run(["render", "p"])
        #expect(refused.status != 0 && refused.error.contains("already exists") && refused.error.contains("--force"), "\(refused.error)")
        #expect(runner.contents("p.html") == Data("mine".utf8))
        try runner.succeed(["render", "p", "--force"])
        #expect(String(decoding: runner.contents("p.html") ?? Data(), as: UTF8.self).hasPrefix("<!DOCTYPE html>"))
        // A foreign file goes through the safe opener: a FIFO is refused at once, never read.
        let fifo = runner.directory.appendingPathComponent("other.sqlite").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let deadline = try DeadlineRunner()
        try FileManager.default.copyItem(atPath: runner.directory.appendingPathComponent("mmu.sqlite").path, toPath: deadline.path("mmu.sqlite"))
        let foreign = try deadline.run(["render", "p", "--compare", "\(fifo):p", "-o", "out.html"])
        #expect(!foreign.timedOut && foreign.status != 0, "\(foreign)")
        #expect(foreign.error.contains(fifo), "\(foreign.error)")
        #expect(!FileManager.default.fileExists(atPath: deadline.path("out.html")))
        #expect(deadline.leftovers().isEmpty)
    }

    @Test func theSVGIsAStaticPicture() throws {
        let runner = try Self.fixture()
        try runner.succeed(["render", "p", "--svg", "--colour", "protection"])
        let svg = String(decoding: runner.contents("p.svg") ?? Data(), as: UTF8.self)
        #expect(svg.hasPrefix("<?xml"))
        #expect(!svg.contains("<script"))
        #expect(svg.contains("fill=\"#7a1f5c\""), "the kernel-only page in its protection colour")
        #expect(svg.contains("canonical hole"))
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
    }
}
