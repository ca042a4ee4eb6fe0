import Foundation
import MMUTestSupport
import Testing

/// `PythonEnvironment` turns a failed provisioning into an error that carries the script's
/// explanation, never a skip or a silent success.
struct PythonEnvironmentTests {
    /// Writes an executable script in a fresh directory and returns it.
    static func script(_ body: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-python-env-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("provision")
        try ("#!/bin/sh\n" + body + "\n").write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url
    }

    @Test func aFailedProvisioningCarriesTheReasonAndTheFix() throws {
        let planted = try Self.script("""
            echo "tools/python/provision: could not install unicorn==2.1.4: ERROR: No matching distribution" >&2
            echo "check network access to PyPI" >&2
            exit 1
            """)
        defer { try? FileManager.default.removeItem(at: planted.deletingLastPathComponent()) }
        guard case .failure(let error) = PythonEnvironment.provision(running: planted) else {
            Issue.record("a failing provision script was taken for a success")
            return
        }
        #expect(error.description.contains("exited 1"))
        #expect(error.description.contains("could not install unicorn==2.1.4"))
        #expect(error.description.contains("check network access to PyPI"))
    }

    @Test func anInterpreterThatIsNotThereIsAnError() throws {
        let planted = try Self.script("echo /nonexistent/bin/python")
        defer { try? FileManager.default.removeItem(at: planted.deletingLastPathComponent()) }
        guard case .failure(let error) = PythonEnvironment.provision(running: planted) else {
            Issue.record("a missing interpreter was taken for a success")
            return
        }
        #expect(error.description.contains("/nonexistent/bin/python"))
    }

    @Test func theProvisionedInterpreterHasThePinnedTools() throws {
        let run = try PythonEnvironment.run(["-c", "import unicorn, jsonschema; print(unicorn.__version__, jsonschema.__version__)"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output == "2.1.4 4.26.0\n")
    }
}
