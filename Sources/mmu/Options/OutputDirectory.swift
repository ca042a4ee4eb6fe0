import Foundation

/// The `--output` directory of a command that writes a new directory of files (`export`, `rows`).
enum OutputDirectory {
    /// Refuses a path that exists as a file or as a directory with something in it.
    ///
    /// - Parameters:
    ///   - path: The `--output` path.
    ///   - command: The command's name, for the message.
    ///   - holding: What the directory holds, as the message says it after "directory".
    /// - Returns: Whether `path` exists (as an empty directory).
    @discardableResult
    static func requireFresh(_ path: String, command: String, holding: String) throws -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return false }
        guard isDirectory.boolValue else {
            throw CommandFailure("'\(path)' already exists and is a file: \(command) writes a directory \(holding); choose another --output")
        }
        let contents: [String]
        do {
            contents = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw CommandFailure("'\(path)' already exists and cannot be listed: choose another --output")
        }
        guard contents.isEmpty else {
            throw CommandFailure("'\(path)' already exists and is not empty: \(command) writes a new directory \(holding); remove it or choose another --output")
        }
        return true
    }
}
