import Foundation
import Testing

/// `tools/python/provision` fails loudly, naming what could not be installed and the fix: run on
/// a copy of the script in a scratch package, with a stand-in `python3` that plants each fault.
struct PythonProvisionTests {
    /// A scratch package holding a copy of tools/python, and a directory of stand-in programs.
    final class Scratch {
        let root: URL
        let bin: URL

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-provision-\(UUID().uuidString)")
            bin = root.appendingPathComponent("stand-ins")
            try FileManager.default.createDirectory(at: root.appendingPathComponent("tools"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: ExampleRunner.packageRoot.appendingPathComponent("tools/python"), to: root.appendingPathComponent("tools/python"))
        }

        deinit { try? FileManager.default.removeItem(at: root) }

        /// Installs an executable shell script named `name` among the stand-ins.
        func standIn(_ name: String, _ script: String) throws {
            let path = bin.appendingPathComponent(name).path
            try ("#!/bin/sh\n" + script + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }

        /// Runs the copied provision script with the stand-ins first on PATH.
        func provision() throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = root.appendingPathComponent("tools/python/provision")
            var environment = ProcessInfo.processInfo.environment
            environment["PATH"] = bin.path + ":/usr/bin:/bin"
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output)
        }
    }

    @Test func aMissingVenvModuleIsReportedWithTheFix() throws {
        let scratch = try Scratch()
        try scratch.standIn("python3", """
            case "$1" in
              -c) echo 3.11.7-stand-in ;;
              *) echo "Error: No module named venv" >&2; exit 1 ;;
            esac
            """)
        let (status, output) = try scratch.provision()
        #expect(status == 1)
        #expect(output.contains("could not create"), "\(output)")
        #expect(output.contains("No module named venv"))
        #expect(output.contains("apt-get install python3-venv"))
    }

    @Test func aFailedInstallNamesThePackagePipsReasonAndTheFix() throws {
        let scratch = try Scratch()
        // python3 -m venv DIR makes DIR/bin/python, whose pip cannot reach an index.
        try scratch.standIn("python3", """
            case "$1" in
              -c) echo 3.11.7-stand-in ;;
              -m) mkdir -p "$3/bin"
                  printf '#!/bin/sh\\n[ "$1" = -c ] && exit 0\\necho "ERROR: Could not find a version that satisfies the requirement unicorn==2.1.4 (from versions: none)" >&2\\necho "ERROR: No matching distribution found for unicorn==2.1.4" >&2\\nexit 1\\n' > "$3/bin/python"
                  chmod +x "$3/bin/python" ;;
            esac
            """)
        let (status, output) = try scratch.provision()
        #expect(status == 1)
        #expect(output.contains("could not install unicorn==2.1.4: ERROR: Could not find a version"), "\(output)")
        #expect(output.contains("check network access to PyPI"))
        #expect(output.contains("-m pip install -r \(scratch.root.path)/tools/python/requirements.txt"))
        // Nothing is marked provisioned: the next run tries again.
        #expect(!FileManager.default.fileExists(atPath: scratch.root.appendingPathComponent(".build/python-venv/provisioned").path))
    }

    @Test func aChangedRequirementsFileInstallsAgain() throws {
        let scratch = try Scratch()
        let log = scratch.root.appendingPathComponent("installs.log").path
        try scratch.standIn("python3", """
            case "$1" in
              -c) echo 3.11.7-stand-in ;;
              -m) mkdir -p "$3/bin"
                  printf '#!/bin/sh\\n[ "$1" = -c ] && exit 0\\necho install >> \(log)\\n' > "$3/bin/python"
                  chmod +x "$3/bin/python" ;;
            esac
            """)
        #expect(try scratch.provision().status == 0)
        #expect(try scratch.provision().status == 0)
        let requirements = scratch.root.appendingPathComponent("tools/python/requirements.txt")
        try (try String(contentsOf: requirements, encoding: .utf8) + "six==1.17.0\n").write(to: requirements, atomically: true, encoding: .utf8)
        let third = try scratch.provision()
        #expect(third.status == 0)
        #expect(third.output.hasSuffix("/.build/python-venv/bin/python\n"), "\(third.output)")
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "install\ninstall\n")
    }
}
