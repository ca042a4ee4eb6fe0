import MMUCore

/// One event of a recorded trace: a memory system call, a process event or a memory access.
///
/// Events come out of a ``TraceReader`` in trace order; a ``ProcessSimulator`` replays them.
public struct TraceEvent: Hashable, Sendable {
    /// The process (or thread) the event belongs to.
    ///
    /// `nil` stands for the *initial* process of a trace that never printed its pid: `strace`
    /// writing to standard error prints `[pid N]` only while several processes live, and a
    /// trace of one process prints none.
    public var processID: Int32?
    /// The 1-based line of the trace the event comes from (for a call split by
    /// `<unfinished ...>`, the line that completed it).
    public var lineNumber: Int
    /// What happened.
    public var action: Action

    /// Creates an event.
    public init(processID: Int32?, lineNumber: Int, action: Action) {
        self.processID = processID
        self.lineNumber = lineNumber
        self.action = action
    }

    /// What an event does.
    public enum Action: Hashable, Sendable {
        /// A memory system call that succeeded.
        case systemCall(SystemCall)
        /// A load, store, modify or instruction fetch (valgrind lackey).
        case access(RecordedAccess)
        /// The process created `child`: a copy of its address space (`fork`, `clone` without
        /// `CLONE_VM`), or a thread or `vfork` child that shares it (`sharesMemory`).
        case fork(child: Int32, sharesMemory: Bool)
        /// The process replaced its image (`execve` that succeeded): its address space starts empty.
        case exec(path: String)
        /// The process (or thread) ended (`+++ exited with N +++`, `+++ killed by SIG +++`).
        case exit
    }
}

extension TraceEvent: CustomStringConvertible {
    /// `line 12 pid 345: mmap(…)`.
    public var description: String {
        let process = processID.map { "pid \($0)" } ?? "initial process"
        return "line \(lineNumber) \(process): \(action)"
    }
}
