import Foundation
import Testing

/// Reading never writes: every reading command works on a database the user can only read
/// (a read-only file, a read-only directory, a read-only mount, another user's file), exits 0
/// with the right output, leaves the file's bytes as they were and creates no file next to it.
///
/// The tests run as root, which file permissions do not stop, so the file and directory cases
/// run each command both as root and as `nobody` (through `setpriv`), and the other-user case
/// runs as `daemon` on a file `nobody` owns.
@Suite(.serialized)
struct ReadOnlyMatrixTests {
    /// A store built by the CLI in its own directory (mode 0755), with history and a snapshot.
    final class Fixture {
        let directory: URL
        /// Where `export` writes (writable by everyone).
        let exports: URL
        var database: String { directory.appendingPathComponent("mmu.sqlite").path }

        init(mount: Bool = false) throws {
            let base = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-readonly-\(UUID().uuidString)")
            directory = base.appendingPathComponent("store")
            exports = base.appendingPathComponent("exports")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: exports, withIntermediateDirectories: true)
            for url in [base, directory] { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path) }
            try FileManager.default.setAttributes([.posixPermissions: 0o1777], ofItemAtPath: exports.path)
            if mount { try Self.shell("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=16m,mode=0755", "tmpfs", directory.path]) }
            for arguments in [
                ["init"], ["sets", "create", "p", "--architecture", "x86_64-4level"],
                ["map", "p", "0x400000", "0x1000", "--count", "3", "-p", "r-xu"], ["snapshot", "p", "s1"],
                ["map", "p", "0x600000", "0x200000", "--size", "2M"],
            ] {
                try Self.mmu(arguments + ["-d", database], as: nil).expectSuccess()
            }
        }

        deinit {
            try? Self.shell("/usr/bin/umount", [directory.path])
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
            try? FileManager.default.removeItem(at: directory.deletingLastPathComponent())
        }

        /// The names, sizes and modification times of the directory's files, and the database's bytes.
        struct State: Equatable {
            var listing: [String]
            var bytes: Data?
        }

        func state() throws -> State {
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            let listing = try names.map { name in
                let attributes = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)
                return "\(name) \(attributes[.size] ?? "?") \(attributes[.modificationDate] ?? "?")"
            }
            return State(listing: listing, bytes: FileManager.default.contents(atPath: database))
        }

        /// Runs every reading command as `user` (root when `nil`), checking each one's status and
        /// output and that the directory and the file are unchanged.
        func expectEveryReadingCommandWorks(as user: String?, _ label: String) throws {
            let before = try state()
            let output = exports.appendingPathComponent(UUID().uuidString).path
            let cases: [(arguments: [String], status: Int32, expected: String)] = [
                (["sets"], 0, "p     x86_64-4level"),
                (["show", "p"], 0, "4 entries, 2.0 MiB mapped"),
                (["show", "p@s1", "--json"], 0, #""va":"0x400000""#),
                (["sql", "SELECT count(*) AS n FROM liveEntry", "--csv"], 0, "n\n4\n"),
                (["log", "p"], 0, "2 transactions on set 'p'"),
                (["stats"], 0, "ENTRIES"),
                (["stats", "p"], 0, "4 entries mapping"),
                (["check"], 0, "ok"),
                (["check", "--deep"], 0, "ok"),
                (["diff", "p@s1", "p", "--summary"], 1, "1 changed range, 2 MiB: added 1"),
                (["diff", "p@s1", "p@0"], 0, "no differences"),
                (["translate", "p", "0x400000", "-f", "x86_64-4level"], 0, "0x400000 -> 0x1000"),
                (["export", "p", "-f", "x86_64-4level", "-o", output], 0, "exported p as x86_64-4level"),
                (["sets", "--json"], 0, #""name":"p""#),
                (["snapshots", "p"], 0, "s1"),
                (["build", "p", "-f", "x86_64-4level"], 0, "4 entries in"),
            ]
            for (arguments, status, expected) in cases {
                let result = try Self.mmu(arguments + ["-d", database], as: user)
                let command = "[\(label)] mmu \(arguments.joined(separator: " ")) as \(user ?? "root")"
                #expect(result.status == status, "\(command) exited \(result.status): \(result.error)")
                #expect(result.output.contains(expected), "\(command) printed:\n\(result.output)\(result.error)")
                #expect(try state() == before, "\(command) changed the directory or the file")
            }
        }

        /// The built `mmu` and its resource bundles, copied once per test process to a directory
        /// every user can enter: the build folder may sit inside a private directory (a checkout
        /// in a mode 0700 `mktemp -d`), where `nobody` could not load the tool's resources.
        static let publicCopy = Result { () throws -> String in
            let source = Bundle.main.bundleURL
            let target = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-public-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where name == "mmu" || name.hasSuffix(".resources") {
                try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: target.appendingPathComponent(name))
            }
            try shell("/bin/chmod", ["-R", "a+rX", target.path])
            return target.appendingPathComponent("mmu").path
        }

        /// Runs `mmu` as `user` (root when `nil`) with `/` as its working directory.
        static func mmu(_ arguments: [String], as user: String?) throws -> ToolResult {
            let executable = try publicCopy.get()
            guard let user else { return try run(executable, arguments) }
            let (uid, gid) = user == "daemon" ? ("daemon", "daemon") : ("nobody", "nogroup")
            return try run("/usr/bin/setpriv", ["--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", executable] + arguments)
        }

        static func shell(_ executable: String, _ arguments: [String]) throws {
            try run(executable, arguments).expectSuccess()
        }

        static func run(_ executable: String, _ arguments: [String]) throws -> ToolResult {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: "/")
            var environment = ProcessInfo.processInfo.environment
            environment["MMU_DATABASE"] = nil
            process.environment = environment
            let output = Pipe(), error = Pipe()
            process.standardOutput = output
            process.standardError = error
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let outData = output.fileHandleForReading.readDataToEndOfFile()
            let errData = error.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return ToolResult(
                command: ([executable] + arguments).joined(separator: " "), status: process.terminationStatus,
                output: String(decoding: outData, as: UTF8.self), error: String(decoding: errData, as: UTF8.self))
        }
    }

    struct ToolResult {
        var command: String
        var status: Int32
        var output: String
        var error: String

        func expectSuccess() throws {
            guard status == 0 else { throw ToolRunner.Failure(description: "\(command) exited \(status): \(output)\(error)") }
        }
    }

    @Test func aReadOnlyFile() throws {
        let fixture = try Fixture()
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: fixture.database)
        try fixture.expectEveryReadingCommandWorks(as: "nobody", "file 0444")
        try fixture.expectEveryReadingCommandWorks(as: nil, "file 0444")
    }

    @Test func aReadOnlyDirectory() throws {
        let fixture = try Fixture()
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: fixture.directory.path)
        try fixture.expectEveryReadingCommandWorks(as: "nobody", "directory 0555")
        try fixture.expectEveryReadingCommandWorks(as: nil, "directory 0555")
    }

    @Test func aReadOnlyMount() throws {
        let fixture: Fixture
        do {
            fixture = try Fixture(mount: true)
        } catch {
            let banner = String(repeating: "!", count: 72)
            print("\(banner)\nREAD-ONLY MOUNT CASE NOT RUN: cannot mount a tmpfs here (\(error)).\n"
                + "Run the tests as root with CAP_SYS_ADMIN to cover it.\n\(banner)")
            return
        }
        try Fixture.shell("/usr/bin/mount", ["-o", "remount,ro", fixture.directory.path])
        try fixture.expectEveryReadingCommandWorks(as: nil, "read-only mount")
        try fixture.expectEveryReadingCommandWorks(as: "nobody", "read-only mount")
    }

    @Test func anotherUsersFile() throws {
        let fixture = try Fixture()
        for path in [fixture.database, fixture.directory.path] {
            try FileManager.default.setAttributes([.ownerAccountName: "nobody", .groupOwnerAccountName: "nogroup"], ofItemAtPath: path)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: fixture.database)
        try fixture.expectEveryReadingCommandWorks(as: "daemon", "nobody's file")
    }

    /// A WAL file whose writer is still open (its `-wal` and `-shm` exist, and the newest
    /// committed transaction is only in the log) is read through them: the reader sees that
    /// transaction but not the uncommitted one, creates nothing, and answers at once though
    /// another process holds a write transaction (`BEGIN IMMEDIATE`).
    @Test func readersSeeTheLogAndDoNotWaitBehindAWriter() throws {
        let fixture = try Fixture()
        let holder = try SQLiteShell(fixture.database)
        defer { holder.end() }
        // The shell's read transaction keeps the next commit's checkpoint from reaching the main file.
        try holder.run("BEGIN; SELECT count(*) FROM snapshot;")
        try Fixture.mmu(["snapshot", "p", "s2", "-d", fixture.database], as: nil).expectSuccess()
        try holder.run("COMMIT; BEGIN IMMEDIATE; DELETE FROM snapshot;")
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: fixture.directory.path)
        let before = try fixture.state()
        let walSize = try FileManager.default.attributesOfItem(atPath: fixture.database + "-wal")[.size] as? Int ?? 0
        #expect(walSize > 0 && before.listing.contains { $0.hasPrefix("mmu.sqlite-shm ") }, "\(before.listing)")
        for user in [nil, "nobody"] {
            for (arguments, expected) in [
                (["snapshots", "p"], "s2"), (["show", "p@s2"], "4 entries"), (["sql", "SELECT group_concat(name) AS n FROM snapshot", "--csv"], "n\n\"s1,s2\"\n"),
                (["check"], "ok"), (["stats"], "ENTRIES"), (["log", "p"], "2 transactions"),
            ] {
                let started = Date()
                let result = try Fixture.mmu(arguments + ["-d", fixture.database], as: user)
                let elapsed = Date().timeIntervalSince(started)
                #expect(result.status == 0, "mmu \(arguments) as \(user ?? "root") failed behind the writer: \(result.error)")
                #expect(result.output.contains(expected), "mmu \(arguments) as \(user ?? "root") printed:\n\(result.output)")
                #expect(elapsed < 2, "mmu \(arguments) as \(user ?? "root") took \(elapsed) s behind the writer")
            }
        }
        #expect(try fixture.state() == before)
    }
}

/// A `sqlite3` shell on a database, run statement by statement (to hold transactions open).
final class SQLiteShell {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var marker = 0

    init(_ database: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    /// Runs `sql` and waits until the shell has run it.
    func run(_ sql: String) throws {
        marker += 1
        input.fileHandleForWriting.write(Data("\(sql)\nSELECT 'done \(marker)';\n".utf8))
        var seen = ""
        while !seen.contains("done \(marker)") {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw ToolRunner.Failure(description: "sqlite3 ended while running \(sql): \(seen)") }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        guard !seen.contains("Error") else { throw ToolRunner.Failure(description: "sqlite3 failed on \(sql): \(seen)") }
    }

    /// Rolls back what is open and waits for the shell to end.
    func end() {
        input.fileHandleForWriting.write(Data("ROLLBACK;\n".utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
