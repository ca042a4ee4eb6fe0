import Foundation
import MMUCapture
import MMUCore
import MMUTraces

/// The traces recorded from real programs that ship with the module (see `Fixtures/README.md`
/// for how each was recorded): what `mmu demo` replays.
public enum TraceFixture: String, CaseIterable, Sendable {
    /// `strace -f -y -e trace=memory,process -o … /bin/ls /usr`.
    case listing = "ls.strace"
    /// A python3 program that forks a child which maps, grows and unmaps memory; strace
    /// written to standard error (`[pid N]` prefixes, a line cut by strace's notice).
    case pythonFork = "python-fork.strace"
    /// A shell running two programs under `strace -f -e trace=memory` (no process lines).
    case shellMemoryOnly = "sh-memory.strace"
    /// valgrind lackey on a small static C program; its layout is ``layoutPath``.
    case lackeyDemo = "lackey-demo.lackey"

    /// The trace's format.
    public var format: TraceFormat { rawValue.hasSuffix(".lackey") ? .lackey : .strace }

    /// The path of the trace file in the module's resources, or `nil` when the resources are
    /// missing (a binary copied without the `MMUStore_MMUDemo.resources` folder that the
    /// build puts beside it).
    public var path: String? { Self.resource(rawValue) }

    /// The path of the `/proc/self/maps` layout recorded with a lackey trace, if it has one.
    public var layoutPath: String? {
        guard self == .lackeyDemo else { return nil }
        return Self.resource("lackey-demo.maps")
    }

    /// The areas of ``layoutPath``, parsed; empty for a trace without a layout.
    ///
    /// - Throws: ``CaptureError`` when the layout cannot be read or parsed.
    public func layout() throws(CaptureError) -> [MemoryArea] {
        guard let path = layoutPath else { return [] }
        let bytes: [UInt8]
        do {
            bytes = try POSIXFile(openingForReading: path).readToEnd()
        } catch {
            throw .unreadable(0, file: path, message: error.message)
        }
        return try ProcessMaps(parsing: String(decoding: bytes, as: UTF8.self), source: path).areas
    }

    private static func resource(_ name: String) -> String? {
        guard let directory = fixturesDirectory else { return nil }
        let path = directory + "/" + name
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// The `Fixtures` folder of the module's resource bundle (`PACKAGE_MMUDemo.resources`)
    /// beside the executable, looked up by hand: SwiftPM's `Bundle.module` stops the program
    /// when the bundle is missing.
    private static let fixturesDirectory: String? = {
        var directories: [URL] = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL { directories.insert(executable.deletingLastPathComponent(), at: 0) }
        for directory in directories {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { continue }
            for name in names.sorted() where name.hasSuffix("_MMUDemo.resources") {
                let fixtures = directory.appendingPathComponent(name).appendingPathComponent("Fixtures").path
                if FileManager.default.fileExists(atPath: fixtures) { return fixtures }
            }
        }
        return nil
    }()
}
