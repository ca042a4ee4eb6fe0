import Foundation

/// The processes holding SQLite write locks on a database, read from `/proc/locks`, to name
/// them when a writer gives up waiting.
///
/// A WAL writer's lock is a write lock on the `-shm` (WAL_WRITE_LOCK and its neighbours); a
/// rollback-journal writer's is a write lock on the database file's lock bytes. Locks of
/// processes in another PID namespace are not visible, and open file description locks carry
/// no process id.
enum LockHolders {
    /// One sentence naming the other processes that hold write locks on the database at
    /// `path` or its `-shm`, or `nil` when none can be seen.
    static func describe(databaseAt path: String) -> String? {
        let files = [path, path + "-shm"].compactMap(identity)
        guard !files.isEmpty, let table = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return nil }
        let ownPID = ProcessInfo.processInfo.processIdentifier
        var holders: [Int32] = []
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            // "N: POSIX ADVISORY WRITE pid maj:min:inode start end"; waiters carry "->" after N:.
            guard fields.count >= 8, fields[1] != "->", fields[3] == "WRITE", let pid = Int32(fields[4]), pid > 0, pid != ownPID,
                files.contains(String(fields[5])), !holders.contains(pid)
            else { continue }
            holders.append(pid)
        }
        guard !holders.isEmpty else { return nil }
        return holders.map { "process \($0) (\(commandLine(of: $0)))" }.joined(separator: ", ")
    }

    /// The `maj:min:inode` key `/proc/locks` names the file at `path` by (hexadecimal device
    /// numbers, decimal inode), or `nil` when it does not exist.
    private static func identity(_ path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        let device = UInt64(status.st_dev)
        let major = ((device >> 32) & 0xFFFF_F000) | ((device >> 8) & 0xFFF)
        let minor = ((device >> 12) & 0xFFFF_FF00) | (device & 0xFF)
        return String(format: "%02llx:%02llx:%llu", major, minor, UInt64(status.st_ino))
    }

    /// The command line of process `pid`, at most 80 characters, printable ASCII only.
    private static func commandLine(of pid: Int32) -> String {
        let raw = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        let words = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
        let printable = String(words.unicodeScalars.map { (0x20..<0x7F).contains($0.value) ? Character($0) : "?" })
        guard !printable.isEmpty else { return "command line unknown" }
        return printable.count > 80 ? String(printable.prefix(77)) + "..." : printable
    }
}
