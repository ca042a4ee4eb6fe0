import Foundation
import Testing

struct CommandLineTests {
    @Test func helpListsTheSubcommands() throws {
        let runner = try ToolRunner()
        let help = try runner.succeed(["--help"])
        for command in ["init", "sets", "map", "unmap", "protect", "resize", "apply", "snapshot", "snapshots", "show", "check", "demo"] {
            #expect(help.contains("  \(command)"), "missing \(command) in:\n\(help)")
        }
    }

    @Test func scriptsAProcessAndReadsASnapshotBack() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try runner.succeed(["sets", "create", "p", "--architecture", "x86_64-4level"])
        try runner.succeed(["map", "p", "0x400000", "0x1000", "-p", "r-xu", "--count", "4"])
        try runner.succeed(["map", "p", "0x200000", "0x400000", "--size", "2M"])
        try runner.succeed(["snapshot", "p", "start"])
        let atStart = try runner.succeed(["show", "p", "--json"])
        try runner.succeed(["unmap", "p", "0x201000", "--demote"])
        try runner.succeed(["protect", "p", "0x400000", "8K", "r--u"])
        #expect(try runner.succeed(["show", "p@start", "--json"]) == atStart)
        #expect(try runner.succeed(["show", "p@1", "--json"]) == atStart)
        let now = try runner.succeed(["show", "p"])
        #expect(now.contains("0x400000-0x402000  ->  0x1000    2 x 4KiB    r--u"))
        #expect(now.contains("515 entries"))
        try runner.succeed(["resize", "p", "0x202000", "4K"])
        #expect(try runner.succeed(["check", "--deep"]).contains("ok"))
        let log = try runner.succeed(["log", "p", "--json"])
        #expect(log.split(separator: "\n").count == 5)
    }

    @Test func badInputIsRefusedWithTheCulpritAndChangesNothing() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try runner.succeed(["sets", "create", "p", "--architecture", "x86_64-4level"])
        try runner.succeed(["map", "p", "0x400000", "0x1000"])
        let before = try runner.succeed(["show", "p", "--json"]) + runner.succeed(["log", "--json"])
        let cases: [([String], String)] = [
            (["map", "p", "0x400800", "0x1000"], "0x400800 is not aligned to 4KiB"),
            (["map", "p", "0x400000", "0x9000"], "overlaps the existing entry 0x400000"),
            (["map", "p", "0x800000000000", "0x1000"], "not canonical for x86_64-4level"),
            (["map", "p", "0x0", "0x0", "--size", "4M"], "4MiB is not supported by x86_64-4level"),
            (["map", "p", "0x0", "0x10000000000000"], "beyond the physical address width"),
            (["unmap", "p", "0x500000"], "nothing is mapped at 0x500000"),
            (["unmap", "p", "0xfffffffffffff000", "8K"], "passes the end of the address space"),
            (["resize", "p", "0x400000", "2M"], "nothing is mapped at 0x401000"),
            (["map", "nope", "0x0", "0x0"], "no translation set named 'nope'"),
            (["show", "p@ghost"], "no snapshot named 'ghost'"),
            (["show", "p@99"], "has no generation 99"),
            (["map", "p", "0x0", "0x0", "--size", "3K"], "3K"),
            (["protect", "p", "0x400000", "4K", "rwq"], "rwq"),
            (["sets", "create", "a@b"], "not a valid set name"),
        ]
        for (arguments, message) in cases {
            let result = try runner.run(arguments)
            #expect(result.status != 0, "mmu \(arguments) succeeded")
            #expect(result.error.contains(message), "mmu \(arguments): \(result.error)")
        }
        let after = try runner.succeed(["show", "p", "--json"]) + runner.succeed(["log", "--json"])
        #expect(after == before)
    }

    @Test func applyRunsABatchAsOneTransactionAndNamesTheBadLine() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try runner.succeed(["sets", "create", "p"])
        let batch = """
            # a comment
            {"op":"map","va":"0x400000","pa":"0x1000","protection":"r-xu"}
            {"op":"map","entries":[{"va":"0x600000","pa":"0x2000","protection":"rw-u"},{"va":"0x601000","pa":"0x3000","protection":"rw-u"}]}
            {"op":"access","va":"0x600000","write":true}

            {"op":"protect","va":"0x600000","length":"0x2000","protection":"r--u"}
            """
        let applied = try runner.succeed(["apply", "p", "--json"], input: batch)
        #expect(applied.contains("\"generation\":0"))
        let before = try runner.succeed(["show", "p", "--json"])
        #expect(before.split(separator: "\n").count == 3)
        #expect(before.contains(#"{"accessed":true,"cache":"wb","dirty":true,"#))
        for (input, message) in [
            ("{\"op\":\"map\",\"va\":\"0x900000\",\"pa\":\"0x1000\",\"protection\":\"r--u\"}\n{\"op\":\"unmap\",\"va\":\"0x800000\",\"length\":\"0x1000\"}", "<stdin>:2: nothing is mapped at 0x800000"),
            ("{\"op\":\"map\"", "<stdin>:1: not valid JSON"),
            ("{\"op\":\"map\",\"va\":\"0x1000\",\"protection\":\"r\"}", "<stdin>:1: missing \"pa\""),
            ("{\"op\":\"resize\",\"va\":\"zz\",\"size\":\"2M\"}", "<stdin>:1: 'zz' is not an address"),
            ("\n\n{\"op\":\"teleport\"}", "<stdin>:3: unknown op 'teleport'"),
        ] {
            let result = try runner.run(["apply", "p"], input: input)
            #expect(result.status == 1)
            #expect(result.error.contains(message), "\(result.error)")
        }
        #expect(try runner.succeed(["show", "p", "--json"]) == before)
    }

    @Test func anExportOfHistorySaysItsAccessBitsAreClear() throws {
        let tool = try ToolRunner()
        for arguments in [["init"], ["sets", "create", "p"], ["map", "p", "0x400000", "0x1000"], ["snapshot", "p", "base"]] {
            #expect(try tool.run(arguments).status == 0, "\(arguments)")
        }
        func accessBits(_ reference: String, _ directory: String) throws -> String? {
            let result = try tool.run(["export", reference, "-f", "x86_64-4level", "-o", directory])
            #expect(result.status == 0, "\(result.error)")
            #expect(result.output.contains("note: accessed and dirty bits") == reference.contains("@"), "\(result.output)")
            let manifest = try Data(contentsOf: tool.directory.appendingPathComponent(directory).appendingPathComponent("manifest.json"))
            return try JSONDecoder().decode(ImageManifestProbe.self, from: manifest).parameters["accessBits"]
        }
        #expect(try accessBits("p", "head") == "recorded")
        #expect(try accessBits("p@base", "history") == "cleared")
    }

    /// The part of manifest.json this test reads.
    struct ImageManifestProbe: Decodable {
        var parameters: [String: String]
    }

    @Test func diffExitsLikeDiffAndReportsChanges() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try runner.succeed(["sets", "create", "p"])
        try runner.succeed(["map", "p", "0x400000", "0x1000", "--count", "16"])
        try runner.succeed(["snapshot", "p", "base"])
        try runner.succeed(["protect", "p", "0x401000", "8K", "r--u"])
        try runner.succeed(["map", "p", "0x800000", "0x200000", "-s", "2M"])
        let same = try runner.run(["diff", "p@base", "p@base"])
        #expect(same.status == 0)
        #expect(same.output.contains("no differences"))
        let different = try runner.run(["diff", "p@base", "p"])
        #expect(different.status == 1)
        #expect(different.output.contains("0x401000-0x403000  reprotected"))
        #expect(different.output.contains("2 changed ranges, 2.0 MiB: added 1 (2 MiB), reprotected 1 (8 KiB)"))
        let json = try runner.run(["diff", "p@base", "p", "--json"])
        let lines = json.output.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.last?.contains(#""same":false"#) == true)
        let trouble = try runner.run(["diff", "p@nope", "p"])
        #expect(trouble.status == 2)
        #expect(trouble.error.contains("no snapshot named 'nope'"))
        let garbage = runner.directory.appendingPathComponent("other.sqlite")
        try Data(repeating: 7, count: 4096).write(to: garbage)
        let foreign = try runner.run(["diff", "p", "other.sqlite:p"])
        #expect(foreign.status == 2)
        #expect(foreign.error.contains("stage 'header'"))
    }

    /// Two simulated runs whose entries match (no page is touched) but whose memory areas differ
    /// (one more mprotect): the areas are reported in their own section and the exit status is 1,
    /// within one set, across sets and across files; --ignore-areas compares entries only.
    @Test func diffReportsMemoryAreasWhenOnlyAreasDiffer() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        let mmap = "1234  mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000\n"
        let first = runner.directory.appendingPathComponent("a.strace"), second = runner.directory.appendingPathComponent("b.strace")
        try Data(mmap.utf8).write(to: first)
        try Data((mmap + "1234  mprotect(0x7f0000001000, 8192, PROT_READ) = 0\n").utf8).write(to: second)
        try runner.succeed(["simulate", first.path, "--name", "a"])
        try runner.succeed(["simulate", second.path, "--name", "b"])
        let difference = try runner.run(["diff", "a-1234", "b-1234"])
        #expect(difference.status == 1, "\(difference.output)")
        #expect(difference.output.contains("memory areas (VMAs):"))
        #expect(difference.output.contains(
            "0x7f0000001000-0x7f0000003000  resized,reprotected  0x7f0000000000-0x7f0000004000 rw-u anonymous private  ->  0x7f0000001000-0x7f0000003000 r--u anonymous private"),
            "\(difference.output)")
        #expect(difference.output.contains("no entry changes; memory areas (VMAs): 3 changed ranges, 16 KiB: resized 3 (16 KiB), reprotected 1 (8 KiB)"))
        let within = try runner.run(["diff", "b-1234@1", "b-1234"])
        #expect(within.status == 1)
        #expect(within.output == difference.output.replacingOccurrences(of: "--- a-1234", with: "--- b-1234@1"))
        let json = try runner.run(["diff", "a-1234", "b-1234", "--json"])
        let lines = json.output.split(separator: "\n")
        #expect(json.status == 1 && lines.count == 4)
        #expect(lines.dropLast().allSatisfy { $0.contains(#""record":"area""#) })
        #expect(lines[1].hasPrefix(#"{"end":"0x7f0000003000","kinds":["resized","reprotected"],"new":{"end":"0x7f0000003000","kind":"anonymous","name":"","protection":"r--u","shared":false,"start":"0x7f0000001000"},"old":{"end":"0x7f0000004000","#), "\(lines[1])")
        #expect(lines.last?.contains(#""same":false"#) == true && lines.last?.contains(#""totalAreaRanges":3"#) == true)
        let entriesOnly = try runner.run(["diff", "a-1234", "b-1234", "--ignore-areas"])
        #expect(entriesOnly.status == 0)
        #expect(entriesOnly.output == "no differences\n")
        try runner.succeed(["init", "-d", "other.sqlite"])
        try runner.succeed(["simulate", second.path, "--name", "b", "-d", "other.sqlite"])
        let files = try runner.run(["diff", "a-1234", "other.sqlite:b-1234", "--summary"])
        #expect(files.status == 1)
        #expect(files.output.contains("memory areas (VMAs): 3 changed ranges"))
    }

    /// An area name from a foreign layout file carrying a terminal escape sequence is printed
    /// escaped in the diff's text (and exact in its JSON).
    @Test func diffEscapesAreaNames() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        let layout = runner.directory.appendingPathComponent("evil.maps"), trace = runner.directory.appendingPathComponent("evil.lackey")
        try Data("00400000-00401000 r--p 00000000 fe:00 1    /tmp/\u{1B}[31mevil\n".utf8).write(to: layout)
        try Data("==77== Lackey\nI  00400000,4\n".utf8).write(to: trace)
        try runner.succeed(["simulate", trace.path, "--layout", layout.path, "--name", "e"])
        try runner.succeed(["sets", "create", "empty"])
        let text = try runner.run(["diff", "empty", "e-77"])
        #expect(text.status == 1)
        #expect(!text.output.contains("\u{1B}") && text.output.contains(#"file private /tmp/\u{1B}[31mevil"#), "\(text.output)")
        let json = try runner.run(["diff", "empty", "e-77", "--json"])
        #expect(json.output.contains(#""name":"\/tmp\/\u001b[31mevil""#) || json.output.contains(#""name":"/tmp/\u001b[31mevil""#), "\(json.output)")
    }

    @Test func statsAndReadOnlySQL() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try runner.succeed(["sets", "create", "p"])
        try runner.succeed(["map", "p", "0x400000", "0x1000", "--count", "3"])
        #expect(try runner.succeed(["stats", "p"]).contains("3 entries mapping 12 KiB"))
        #expect(try runner.succeed(["stats", "--json"]).contains(#""entries":3"#))
        #expect(try runner.succeed(["sql", "SELECT count(*) AS n FROM liveEntry", "--csv"]) == "n\n3\n")
        #expect(try runner.succeed(["sql", "SELECT virtualAddress FROM liveEntry ORDER BY vpn LIMIT 1", "--json"]) == #"{"virtualAddress":"0x0000000000400000"}"# + "\n")
        let refused = try runner.run(["sql", "DELETE FROM mmuEntry"])
        #expect(refused.status == 1)
        #expect(refused.error.contains("read-only: DELETE is not allowed"))
        #expect(try runner.succeed(["sql", "SELECT count(*) FROM mmuEntry", "--csv"]).hasSuffix("3\n"))
    }

    @Test func showJSONImportsBackIntoAnEqualSet() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try runner.succeed(["sets", "create", "p"])
        try runner.succeed(["map", "p", "0x400000", "0x1000", "--count", "5", "-p", "r-xu"])
        try runner.succeed(["map", "p", "0xffff800000000000", "0x200000", "-s", "2M", "--global", "--cache", "uc"])
        let exported = try runner.succeed(["show", "p", "--json"])
        #expect(try runner.succeed(["import", "q", "--entries", "-"], input: exported).contains("(1 global entry already shared)"))
        #expect(try runner.run(["diff", "p", "q"]).status == 0)
        let bad = try runner.run(["import", "r", "--entries", "-"], input: "{\"va\":\"0x1000\",\"pa\":\"0x1000\",\"protection\":\"rz\"}")
        #expect(bad.status == 1)
        #expect(bad.error.contains("<stdin>:1: 'rz' is not a protection"))
    }

    @Test func rebuildsTranslatesExportsAndImportsHardwareTables() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try runner.succeed(["sets", "create", "p", "--architecture", "x86_64-4level"])
        try runner.succeed(["map", "p", "0x400000", "0x1000", "--count", "8", "-p", "r-xu"])
        try runner.succeed(["map", "p", "0x600000", "0x200000", "-s", "2M", "-p", "rw-u"])
        #expect(try runner.succeed(["formats"]).contains("ia64-vhpt-long   hashed"))
        let built = try runner.succeed(["build", "p", "--format", "x86_64-4level"])
        #expect(built.contains("9 entries in 4 table pages (16 KiB)"), "\(built)")
        #expect(try runner.run(["build", "p", "-f", "ppc64-hpt"]).error.contains("2 entries cannot be encoded as ppc64-hpt"))
        #expect(try runner.succeed(["build", "p", "-f", "ppc64-hpt", "--split", "--json"]).contains(#""loadFactor""#))
        #expect(try runner.succeed(["translate", "p", "0x600abc", "-f", "x86_64-4level", "--access", "write"]).contains("0x600abc -> 0x200abc (2MiB page at level 2"))
        let fault = try runner.run(["translate", "p", "0x400000", "-f", "x86_64-4level", "--access", "write"])
        #expect(fault.status == 1)
        #expect(fault.output.contains("user write faults: protection at level 3"))
        try runner.succeed(["snapshot", "p", "before"])
        try runner.succeed(["unmap", "p", "0x600000", "2M"])
        #expect(try runner.succeed(["translate", "p@before", "0x600000", "-f", "aarch64-4k-48"]).contains("-> 0x200000"))
        try runner.succeed(["export", "p@before", "-f", "riscv-sv48", "-o", "image"])
        let manifest = try #require(runner.contents("image/manifest.json"))
        #expect(String(decoding: manifest, as: UTF8.self).contains("riscv-sv48"))
        try runner.succeed(["import", "q", "--image", "image"])
        #expect(try runner.run(["diff", "p@before", "q"]).status == 0)
        #expect(try runner.succeed(["sets", "--json"]).contains(#""architectureName":"riscv-sv48","#))
        let stats = try runner.succeed(["stats", "p@before", "--tables", "x86_64-4level,i386,ia64-vhpt-short"])
        #expect(stats.contains("i386             cannot encode: 1 entry it cannot hold (first: 0x600000 2MiB, page size not supported)"), "\(stats)")
        let broken = try runner.run(["import", "r", "--image", "nowhere"])
        #expect(broken.status == 1)
        #expect(try !runner.succeed(["sets"]).contains("r "))
    }

    @Test func foreignFilesAreRefusedAndLeftUntouched() throws {
        let runner = try ToolRunner()
        let garbage = Data("this is not a database at all, just text".utf8)
        try garbage.write(to: runner.directory.appendingPathComponent("garbage.db"))
        let result = try runner.run(["sets", "-d", "garbage.db"])
        #expect(result.status == 1)
        #expect(result.error.contains("not an SQLite database"))
        #expect(runner.contents("garbage.db") == garbage)
        #expect(try runner.files() == ["garbage.db"])
        #expect(try runner.run(["sets", "-d", "missing.db"]).error.contains("no MMUStore database"))
        #expect(try runner.files() == ["garbage.db"])
    }

    @Test func aFileURIPrefixIsJustAFileName() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init", "-d", "file:odd.sqlite?vfs=none"])
        #expect(try runner.files().contains("file:odd.sqlite?vfs=none"))
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/MMUDemo/Fixtures").standardizedFileURL

    @Test func simulatesTracesSnapshotsAndResumes() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        let lackey = Self.fixtures.appendingPathComponent("lackey-demo.lackey").path
        let layout = Self.fixtures.appendingPathComponent("lackey-demo.maps").path
        let small = try runner.succeed(["simulate", lackey, "--layout", layout, "--name", "a", "--snapshot-every", "4"])
        #expect(small.contains("826 demand faults"), "\(small)")
        let huge = try runner.succeed(["simulate", lackey, "--layout", layout, "--name", "b", "--policy", "thp", "--json"])
        #expect(huge.contains(#""promotions":1"#), "\(huge)")
        let difference = try runner.run(["diff", "a-9376", "b-9376", "--ignore-frames"])
        #expect(difference.status == 1)
        #expect(difference.output.contains("1 changed range, 2 MiB: resized 1 (2 MiB)"))
        #expect(try runner.succeed(["snapshots", "a-9376"]).contains("tx 8"))
        let resumed = try runner.succeed(["simulate", lackey, "--layout", layout, "--from", "a-9376@tx 8", "--name", "c"])
        #expect(resumed.contains("sets: c-9376"))
        #expect(try runner.run(["diff", "a-9376@tx 8", "c-9376@0"]).status == 0)
        let hot = try runner.succeed(["sql", "SELECT accesses FROM pageHeat WHERE setName = 'a-9376' ORDER BY accesses DESC LIMIT 1", "--csv"])
        #expect(hot == "accesses\n22099\n")
        #expect(try runner.succeed(["check", "--deep"]).contains("ok"))
    }

    @Test func badTraceLinesAreNamedOrSkipped() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        let trace = runner.directory.appendingPathComponent("bad.strace")
        try Data("""
            1234  mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000
            1234  mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0 = 0x7f0000100000
            1234  munmap(0x7f0000000000, 4096) = 0

            """.utf8).write(to: trace)
        let failed = try runner.run(["simulate", trace.path])
        #expect(failed.status == 1)
        #expect(failed.error.contains("bad.strace:2"), "\(failed.error)")
        #expect(try runner.succeed(["sets"]).contains("no sets"))
        let skipped = try runner.succeed(["simulate", trace.path, "--skip-bad-lines"])
        #expect(skipped.contains("1 bad line skipped"), "\(skipped)")
    }

    @Test func capturesALiveProcessAndRefusesAMissingOne() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        let captured = try runner.succeed(["capture", "--self", "--set", "me", "--json"])
        #expect(captured.contains(#""set":"me""#))
        #expect(try runner.succeed(["show", "me", "--areas"]).contains("[stack]"))
        let missing = try runner.run(["capture", "--pid", "999999999"])
        #expect(missing.status == 1)
        #expect(missing.error.contains("999999999"))
        #expect(try runner.succeed(["sets"]).split(separator: "\n").count == 2)
    }

    @Test func aStoppedProcessCapturedTwiceAddsNoEntryRows() throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sleep")
        child.arguments = ["1000"]
        try child.run()
        defer {
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
        }
        let pid = child.processIdentifier
        // Stopped once it sleeps (its program loaded), so that its address space holds still.
        for _ in 0..<500 {
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            if stat.contains(") S ") { break }
            usleep(10_000)
        }
        kill(pid, SIGSTOP)
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        let rows = ["sql", "SELECT (SELECT count(*) FROM mmuEntry) AS entryRows, (SELECT count(*) FROM memoryArea) AS areaRows"]
        try runner.succeed(["capture", "--pid", "\(pid)", "--set", "stopped"])
        let first = try runner.succeed(rows)
        try runner.succeed(["capture", "--pid", "\(pid)", "--set", "stopped"])
        #expect(try runner.succeed(rows) == first)
        let log = try runner.succeed(["log", "--json"])
        #expect(log.contains(#""entriesAdded":0"#) && log.contains(#""entriesRemoved":0"#), "\(log)")
    }

    @Test func captureRefusesAnInvalidPidAndAKernelThreadByName() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        for spelling in [["--pid=-1"], ["--pid", "0"]] {
            let invalid = try runner.run(["capture"] + spelling)
            #expect(invalid.status != 0)
            #expect(invalid.error.contains("is not a process id: a pid is a positive number"), "\(spelling): \(invalid.error)")
        }
        // Written apart, `-1` looks like an option to the parser: the error still names the value.
        let apart = try runner.run(["capture", "--pid", "-1"])
        #expect(apart.status != 0)
        #expect(apart.error.contains("The value '-1' is invalid for '--pid <pid>'"), "\(apart.error)")
        let kernelThread = try runner.run(["capture", "--pid", "2"])
        #expect(kernelThread.status == 1)
        #expect(kernelThread.error.contains("kernel thread: it has no user address space"), "\(kernelThread.error)")
        #expect(try runner.succeed(["sets"]).contains("no sets"))
    }

    @Test func theDemoRunsTheWholeStory() throws {
        let runner = try ToolRunner()
        let output = try runner.succeed(["demo", "--database", "demo.sqlite"])
        #expect(output.contains("(integrity_check, invariants, content digests): ok"))
        #expect(output.contains("resized 1 (2 MiB)"))
        #expect(output.contains("ia64-vhpt-long:"))
        #expect(FileManager.default.fileExists(atPath: runner.directory.appendingPathComponent("demo.sqlite").path))
    }
}
