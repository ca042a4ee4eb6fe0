import Foundation
import MMUArchitectures
import MMUTestSupport
import Testing

/// A real Linux kernel's page tables: tools/real-kernel/guest.py boots the distribution's cloud
/// kernel under QEMU (TCG) with a static test program (tools/real-kernel/probe.c) that prints
/// its own maps and VA -> PFN pairs, dumps the guest's memory over QMP before and after the
/// program unmaps, protects and maps memory, and the dumps are imported with `mmu import --dump`.
///
/// Needs the Debian packages qemu-system-x86, linux-image-cloud-amd64, busybox-static, cpio,
/// gcc and libc6-dev (`.ci/run` installs them); without them the test fails saying so.
struct RealKernelTests {
    /// Linux's PAT (no dump records the PAT).
    static let linuxPAT = "0x0407050600070106"

    struct Report: Decodable {
        struct Phase: Decodable {
            var cr3: String
            var dump: String
            var pages: [[String]]
            var dumpSeconds: Double
        }

        struct Change: Decodable {
            var kind: String
            var va: String
            var pages: Int
        }

        var phases: [Phase]
        var changes: [Change]
        var bootSeconds: Double
    }

    /// A leaf translation: virtual and physical address, bytes.
    struct Leaf: Hashable {
        var va: UInt64
        var pa: UInt64
        var size: UInt64
    }

    /// The leaves of a set, both halves.
    static func leaves(of set: String, _ runner: ToolRunner) throws -> Set<Leaf> {
        let sizes: [String: UInt64] = ["4KiB": 1 << 12, "2MiB": 1 << 21, "1GiB": 1 << 30]
        var result: Set<Leaf> = []
        for line in try runner.succeed(["show", set, "--json", "--entries"]).split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            guard object["record"] as? String == "entry" else { continue }
            let name = try #require(object["size"] as? String)
            let size = try #require(sizes[name], "page size \(name)")
            result.insert(Leaf(va: try hex(object["va"]), pa: try hex(object["pa"]), size: size))
        }
        return result
    }

    /// The leaves tools/oracle/volatility_walker.py finds, and the seconds its enumeration took.
    static func volatilityLeaves(dump: String, cr3: String) throws -> (leaves: Set<Leaf>, seconds: String) {
        let script = PythonEnvironment.packageRoot.appendingPathComponent("tools/oracle/volatility_walker.py")
        let run = try PythonEnvironment.run([script.path, dump, cr3])
        try #require(run.status == 0, "volatility_walker.py failed: \(run.errors)")
        var leaves: Set<Leaf> = []
        var seconds = ""
        for line in run.output.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            if fields.first == "seconds" {
                seconds = fields[1]
                continue
            }
            try #require(fields.count == 3, "unexpected line \(line)")
            leaves.insert(Leaf(va: try hex("0x" + fields[0]), pa: try hex("0x" + fields[1]), size: try hex("0x" + fields[2])))
        }
        #expect(leaves.count > 5000, "Volatility found the kernel's tables")
        return (leaves, seconds)
    }

    /// The leaf words of an exported x86-64 image, by virtual address.
    static func leafWords(ofImage directory: URL, lastLevel: Int) throws -> [UInt64: UInt64] {
        var words: [UInt64: UInt64] = [:]
        for encoded in try PageTableImage.read(from: directory).encodedEntries()
        where encoded.level == lastLevel || (encoded.level > 0 && encoded.bits[0] & 0x80 != 0) {
            words[encoded.virtualAddress.rawValue] = encoded.bits[0]
        }
        return words
    }

    /// A `0x…` string as a number.
    static func hex(_ value: Any?) throws -> UInt64 {
        let text = try #require(value as? String)
        return try #require(UInt64(text.dropFirst(2), radix: 16), "\(text) is not 0x hexadecimal")
    }

    /// The user-half entries of a set: virtual page -> (frame, protection).
    static func entries(of set: String, _ runner: ToolRunner) throws -> [UInt64: (frame: UInt64, protection: String)] {
        var result: [UInt64: (UInt64, String)] = [:]
        for line in try runner.succeed(["show", set, "--json", "--entries"]).split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            guard object["record"] as? String == "entry" else { continue }
            let size = try #require(object["size"] as? String)
            #expect(size == "4KiB", "the probe maps no large pages: \(line)")
            let va = try Self.hex(object["va"])
            let pa = try Self.hex(object["pa"])
            result[va] = (pa >> 12, try #require(object["protection"] as? String))
        }
        return result
    }

    /// QEMU's default CPU (4-level paging) and `-cpu max`, whose LA57 the kernel turns on
    /// (5-level paging; it also turns on protection keys, CR4.PKE).
    @Test(.timeLimit(.minutes(5)), arguments: [("qemu64", "x86_64-4level"), ("max", "x86_64-5level")])
    func aLinuxGuestsTablesAgreeWithItsOwnPagemapAndDiffToExactlyTheChange(cpu: String, format: String) throws {
        let runner = try ToolRunner()
        let work = runner.directory.appendingPathComponent("guest")
        let script = PythonEnvironment.packageRoot.appendingPathComponent("tools/real-kernel/guest.py")
        let started = ContinuousClock.now
        let guest = try PythonEnvironment.run([script.path, work.path, "--cpu", cpu])
        try #require(guest.status == 0, "tools/real-kernel/guest.py failed: \(guest.errors)\(guest.output)")
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: work.appendingPathComponent("report.json")))
        try runner.succeed(["init"])
        for (number, phase) in report.phases.enumerated() {
            let set = "probe-\(number + 1)"
            let imported = try runner.succeed(["import", set, "--dump", phase.dump, "--half", "user", "--pat", Self.linuxPAT, "--json"])
            let walk = try #require(try JSONSerialization.jsonObject(with: Data(imported.utf8)) as? [String: Any])
            let registers = try #require(walk["registers"] as? [String: String])
            #expect(registers["cr3"] == phase.cr3, "the dump's CPU note holds the CR3 'info registers' showed")
            #expect(walk["format"] as? String == format)
            // Page for page, both ways: what the process sees in its pagemap is what the tables say.
            let entries = try Self.entries(of: set, runner)
            let pages = try phase.pages.map { pair in
                (try Self.hex(pair[0]), try Self.hex(pair[1]))
            }
            #expect(pages.count > 100, "the probe reported its pages")
            for (va, pfn) in pages {
                #expect(entries[va]?.frame == pfn, "0x\(String(va, radix: 16)): pagemap says frame 0x\(String(pfn, radix: 16)), the tables \(String(describing: entries[va]))")
            }
            #expect(Set(entries.keys) == Set(pages.map(\.0)), "the tables map exactly the pages the process reports")
        }
        // The whole of the first dump: the kernel half is large and holds nothing malformed.
        let importStarted = ContinuousClock.now
        let whole = try runner.succeed(["import", "whole", "--dump", report.phases[0].dump, "--pat", Self.linuxPAT, "--json"])
        let importTime = ContinuousClock.now - importStarted
        let wholeWalk = try #require(try JSONSerialization.jsonObject(with: Data(whole.utf8)) as? [String: Any])
        #expect((wholeWalk["translations"] as? Int ?? 0) > 5000, "\(whole)")
        let findings = wholeWalk["findings"] as? [[String: Any]] ?? []
        let kinds = findings.compactMap { $0["kind"] as? String }
        #expect(!kinds.contains("reserved-bits") && !kinds.contains("table-outside-memory"), "\(whole)")
        if format == "x86_64-4level" {
            // A second walker, Volatility3's Intel32e layer, finds the same leaves, less those
            // mapping frames outside the dump (device memory), which it skips.
            let outside = findings.first { $0["kind"] as? String == "frame-outside-memory" }?["count"] as? Int ?? 0
            let volatility = try Self.volatilityLeaves(dump: report.phases[0].dump, cr3: report.phases[0].cr3)
            let ours = try Self.leaves(of: "whole", runner)
            #expect(volatility.leaves.isSubset(of: ours), "Volatility's leaves not imported: \(volatility.leaves.subtracting(ours).prefix(5))")
            #expect(ours.count - volatility.leaves.count == outside, "every other leaf maps a frame outside the dump")
            let pages = volatility.leaves.reduce(0) { $0 + $1.size / 4096 }
            print("real kernel: Volatility3 enumerated \(volatility.leaves.count) leaves (\(pages) 4 KiB translations) in \(volatility.seconds) s; mmu import --dump walked and committed \(ours.count) leaves in \(importTime) (whole process)")
        }
        // Exported with Linux's convention, the kernel's leaves come back bit for bit, but for
        // UC pages (PCD | PWT), which the model holds as uncached and Linux's encoding writes UC-.
        let exported = runner.directory.appendingPathComponent("linux-export")
        try runner.succeed(["export", "whole", "-f", format, "--convention", "linux", "-o", exported.path])
        let kernelWalk = try PhysicalMemoryDump(openingForReading: report.phases[0].dump).walkX86(DumpWalkRequest(pat: 0x0407_0506_0007_0106))
        let words = try Self.leafWords(ofImage: exported, lastLevel: format == "x86_64-5level" ? 4 : 3)
        var same = 0, uncached = 0
        for (entry, word) in zip(kernelWalk.entries, kernelWalk.leafWords) {
            let mine = try #require(words[entry.virtualAddress.rawValue], "0x\(String(entry.virtualAddress.rawValue, radix: 16)) not exported")
            let covered: UInt64 = 0x000F_FFFF_FFFF_F000 | 0x1FF | 1 << 63
            if mine & covered == word & covered {
                same += 1
            } else if word & 0x18 == 0x18 && mine & covered == (word & ~0x08) & covered {
                uncached += 1
            } else {
                Issue.record("0x\(String(entry.virtualAddress.rawValue, radix: 16)): exported 0x\(String(mine, radix: 16)), the kernel's 0x\(String(word, radix: 16))")
            }
        }
        #expect(same + uncached == kernelWalk.entries.count && same > 5000)
        print("real kernel (\(format)): \(same) leaves bit for bit under the linux convention, \(uncached) UC leaves as UC-")
        // The diff is exactly what the probe did: 8 pages mapped, 8 unmapped, 8 made read-only.
        let diff = try runner.run(["diff", "probe-1", "probe-2", "--json"])
        #expect(diff.status == 1)
        var changed: [String: Set<UInt64>] = [:]
        for line in diff.output.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            guard object["record"] as? String == "change" else { continue }
            let start = try Self.hex(object["start"])
            let end = try Self.hex(object["end"])
            let kinds = try #require(object["kinds"] as? [String])
            for kind in kinds { changed[kind, default: []].formUnion(stride(from: start, to: end, by: 4096)) }
        }
        var expected: [String: Set<UInt64>] = [:]
        let names = ["mapped": "added", "unmapped": "removed", "protected": "reprotected"]
        for change in report.changes {
            let start = try Self.hex(change.va)
            expected[try #require(names[change.kind]), default: []].formUnion((0..<UInt64(change.pages)).map { start + $0 << 12 })
        }
        #expect(changed == expected, "diff \(diff.output)")
        let seconds = (ContinuousClock.now - started).components.seconds
        print("real kernel (\(cpu), \(format)): boot \(report.bootSeconds) s, dumps \(report.phases.map(\.dumpSeconds)) s, whole test \(seconds) s")
    }
}

extension RealKernelTests {
    /// Without QEMU (a PATH that lacks it), the guest script fails naming the package to install.
    @Test func aMissingPackageFailsNamingIt() throws {
        let runner = try ToolRunner()
        let process = Process()
        process.executableURL = try PythonEnvironment.python()
        process.arguments = [PythonEnvironment.packageRoot.appendingPathComponent("tools/real-kernel/guest.py").path, runner.directory.path]
        process.environment = ["PATH": runner.directory.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(text.contains("'qemu-system-x86_64' is missing: install the Debian package qemu-system-x86"), "\(text)")
    }
}
