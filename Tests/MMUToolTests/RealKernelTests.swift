import Foundation
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
        // The kernel half of the first dump: all of it, every leaf global.
        let kernel = try runner.succeed(["import", "kernel", "--dump", report.phases[0].dump, "--half", "kernel", "--pat", Self.linuxPAT, "--json"])
        let kernelWalk = try #require(try JSONSerialization.jsonObject(with: Data(kernel.utf8)) as? [String: Any])
        #expect((kernelWalk["translations"] as? Int ?? 0) > 5000, "\(kernel)")
        let findings = (kernelWalk["findings"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        #expect(!findings.contains("reserved-bits") && !findings.contains("table-outside-memory"), "\(kernel)")
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
