import ArgumentParser
import Foundation

/// The child process of the crash tests: runs a workload against a store, optionally over the
/// fault-injecting VFS, and prints what the store acknowledged, one flushed line at a time
/// (`ACK …`), so that a parent can kill it anywhere and still know what it was promised.
@main
struct CrashWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mmu-crash-worker",
        abstract: "Run a workload against an MMUStore database for the crash tests.",
        subcommands: [RunCommand.self, WriterCommand.self, ReaderCommand.self, HoldLockCommand.self, UntrustedCommand.self])
}

/// Writes `line` and a newline to standard output at once (unbuffered), so a line the parent
/// reads was printed completely before anything that follows it happened.
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
