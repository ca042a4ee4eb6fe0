/// What a ``TraceReader`` has read so far: lines, events by kind, and what it skipped.
public struct TraceStatistics: Hashable, Sendable, Codable {
    /// Lines read.
    public var lines = 0
    /// Successful `mmap` and `mmap2` calls.
    public var mmaps = 0
    /// Successful `munmap` calls.
    public var munmaps = 0
    /// Successful `mprotect` and `pkey_mprotect` calls.
    public var mprotects = 0
    /// `brk` calls (always successful: the result is the new break).
    public var brks = 0
    /// Successful `mremap` calls.
    public var mremaps = 0
    /// `madvise` calls that drop pages.
    public var discards = 0
    /// Process creations (`clone`, `clone3`, `fork`, `vfork`) that succeeded.
    public var forks = 0
    /// Successful `execve` and `execveat` calls.
    public var execs = 0
    /// Process or thread ends (`+++ exited +++`, `+++ killed +++`).
    public var exits = 0
    /// Instruction fetches (`I`).
    public var instructions = 0
    /// Loads (`L`).
    public var loads = 0
    /// Stores (`S`).
    public var stores = 0
    /// Modifies (`M`).
    public var modifies = 0
    /// Calls that failed (`= -1 ERRNO`) or whose result is unknown (`= ?`): skipped.
    public var failedCalls = 0
    /// `<unfinished ...>` calls completed by their `<... resumed>` line.
    public var resumedCalls = 0
    /// System calls the simulation does not model (`wait4`, `madvise(MADV_WILLNEED)`, …).
    public var otherCalls = 0
    /// Signal lines, banners, strace's own notices and blank lines.
    public var ignoredLines = 0
    /// Malformed lines skipped because of ``TraceParsingOptions/skipBadLines``.
    public var badLines = 0
    /// The first malformed line skipped, to report.
    public var firstBadLine: TraceError?

    /// Creates zero counts.
    public init() {}

    /// All memory accesses.
    public var accesses: Int { instructions + loads + stores + modifies }

    /// All memory system calls reported as events.
    public var memoryCalls: Int { mmaps + munmaps + mprotects + brks + mremaps + discards }

    /// Counts one event.
    mutating func count(_ action: TraceEvent.Action) {
        switch action {
        case .systemCall(.mmap): mmaps += 1
        case .systemCall(.munmap): munmaps += 1
        case .systemCall(.mprotect): mprotects += 1
        case .systemCall(.brk): brks += 1
        case .systemCall(.mremap): mremaps += 1
        case .systemCall(.discardPages): discards += 1
        case .fork: forks += 1
        case .exec: execs += 1
        case .exit: exits += 1
        case .access(let access): count(access.kind)
        }
    }

    /// Counts one access.
    mutating func count(_ kind: RecordedAccess.Kind) {
        switch kind {
        case .instruction: instructions += 1
        case .load: loads += 1
        case .store: stores += 1
        case .modify: modifies += 1
        }
    }

    /// Counts a malformed line that was skipped.
    mutating func skip(_ error: TraceError) {
        badLines += 1
        if firstBadLine == nil { firstBadLine = error }
    }
}
