import Foundation

/// The project's pinned Python environment for test oracles and validators: `.build/python-venv`,
/// made by `tools/python/provision` from `tools/python/requirements.txt` on first use.
public enum PythonEnvironment {
    /// Why the environment cannot be used, with the fix.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The package's root directory.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The environment's interpreter, provisioning the environment first when it is missing or its
    /// packages are not the pinned ones.
    ///
    /// - Throws: ``Unavailable`` saying what failed and how to fix it; never a silent skip.
    public static func python() throws -> URL {
        try provisioned.get()
    }

    private static let provisioned = Result { () throws(Unavailable) -> URL in try provision() }

    private static func provision() throws(Unavailable) -> URL {
        let venv = root.appendingPathComponent(".build/python-venv")
        let python = venv.appendingPathComponent("bin/python")
        let requirements = root.appendingPathComponent("tools/python/requirements.txt")
        let installed = venv.appendingPathComponent("installed.txt")
        if FileManager.default.isExecutableFile(atPath: python.path), satisfied(requirements, by: installed) { return python }
        let script = root.appendingPathComponent("tools/python/provision")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path, venv.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Unavailable(description: "cannot run \(script.path): \(error)")
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, satisfied(requirements, by: installed) else {
            throw Unavailable(description: "the Python test environment could not be provisioned (run tools/python/provision to see why): \(message)")
        }
        return python
    }

    /// Whether every pinned `name==version` line of `requirements` is in the `installed` freeze list.
    private static func satisfied(_ requirements: URL, by installed: URL) -> Bool {
        guard let wanted = try? String(contentsOf: requirements, encoding: .utf8),
            let present = try? String(contentsOf: installed, encoding: .utf8)
        else { return false }
        let have = Set(present.split(separator: "\n").map { $0.lowercased() })
        return wanted.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }.allSatisfy { have.contains($0.lowercased()) }
    }
}
