import MMUCore

/// Parses `strace -f` output, one line at a time, into ``TraceEvent``s.
///
/// It reads both ways strace writes a multi-process trace: with `-o FILE` every line starts
/// with the pid (`1234  mmap(…) = …`); on standard error lines carry `[pid 1234]` only while
/// several processes live, and strace's own `Process N attached` notice can cut a line in two
/// (the parser joins the halves). Optional `-t`/`-tt`/`-ttt`/`-r` timestamps and `-T` durations
/// are skipped, `-y` file paths are kept.
///
/// `<unfinished ...>` calls are held per process until their `<... resumed>` line; failed calls
/// (`= -1 ENOMEM …`) and calls with an unknown result (`= ?`) are counted and skipped; signal
/// lines (`--- SIGCHLD … ---`) are skipped; `+++ exited … +++` becomes ``TraceEvent/Action/exit``.
/// A child whose lines come before the `clone` that created it has returned is held back until
/// that `clone` completes, so that its ``TraceEvent/Action/fork`` comes first.
struct StraceParser {
    private struct Pending {
        var name: String
        var text: String
    }

    /// Unfinished calls, by resolved process.
    private var pending: [Int32?: Pending] = [:]
    /// The first half of a line cut by strace's own notice.
    private var carry: String?
    /// The pid that turned out to be the initial, unprefixed process.
    private var initialAlias: Int32?
    /// Whether an unprefixed line was given to the initial process.
    private var initialSeen = false
    /// Whether any line had a pid prefix.
    private var sawPrefix = false
    /// Pids seen or announced by a fork.
    private var known: Set<Int32> = []
    /// Processes alive (the initial one as `nil`).
    private var live: Set<Int32?> = []
    /// Events of children not yet announced by their parent's fork, in order.
    private var heldBack: [Int32: [TraceEvent]] = [:]

    /// Parses one line (without its newline).
    ///
    /// - Returns: The events the line completes (none, one, or a fork followed by the held-back
    ///   events of its child).
    /// - Throws: The ``TraceError/Reason`` of a malformed line.
    mutating func parse(_ rawLine: String, lineNumber: Int, statistics: inout TraceStatistics) throws(TraceError.Reason)
        -> [TraceEvent]
    {
        var line = rawLine
        if let first = carry {
            line = first + line
            carry = nil
        }
        if line.hasSuffix("\r") { line.removeLast() }
        if let notice = line.hasPrefix("strace: ") ? line.range(of: "strace: ") : line.range(of: "strace: Process ") {
            if notice.lowerBound != line.startIndex { carry = String(line[..<notice.lowerBound]) }
            statistics.ignoredLines += 1
            return []
        }
        var body = Substring(line)
        let prefix = try Self.processPrefix(&body)
        body = Self.droppingTimestamp(body)
        body = Self.droppingDuration(body)
        guard !body.isEmpty else {
            statistics.ignoredLines += 1
            return []
        }
        if body.hasPrefix("---") {
            statistics.ignoredLines += 1
            return []
        }
        let process = resolve(prefix)
        if body.hasPrefix("+++") {
            guard body.contains("exited with") || body.contains("killed by") else {
                statistics.ignoredLines += 1
                return []
            }
            pending[process] = nil
            live.remove(process)
            return emit(TraceEvent(processID: process, lineNumber: lineNumber, action: .exit))
        }
        var text: String
        if body.hasPrefix("<... ") {
            guard let close = body.range(of: " resumed>") else { throw .unrecognizedLine }
            let name = String(body[body.index(body.startIndex, offsetBy: 5)..<close.lowerBound])
            guard let started = pending[process] else { throw .unmatchedResume(call: name) }
            guard started.name == name else { throw .resumeMismatch(pending: started.name, resumed: name) }
            pending[process] = nil
            statistics.resumedCalls += 1
            text = started.text + body[close.upperBound...]
        } else {
            text = String(body)
            if let started = pending[process] { throw .callWhileUnfinished(pending: started.name) }
        }
        if text.hasSuffix("<unfinished ...>") {
            var start = text.dropLast("<unfinished ...>".count)
            if start.last == " " { start = start.dropLast() }
            guard let name = Self.callName(start) else { throw .unrecognizedLine }
            pending[process] = Pending(name: name, text: String(start))
            return []
        }
        guard let call = try StraceCall(text) else { throw .unrecognizedLine }
        guard let action = try call.action(statistics: &statistics) else { return [] }
        if case .fork(let child, _) = action {
            known.insert(child)
            live.insert(child)
            var events = emit(TraceEvent(processID: process, lineNumber: lineNumber, action: action))
            events += heldBack.removeValue(forKey: child) ?? []
            if !pending.values.contains(where: { StraceCall.forkNames.contains($0.name) }) { events += releaseHeldBack() }
            return events
        }
        return emit(TraceEvent(processID: process, lineNumber: lineNumber, action: action))
    }

    /// The events still held back at the end of the trace: children whose fork never completed
    /// (a ``ProcessSimulator`` then takes them as forks of the first process).
    mutating func finish() -> [TraceEvent] {
        releaseHeldBack()
    }

    private mutating func releaseHeldBack() -> [TraceEvent] {
        let events = heldBack.values.flatMap { $0 }.sorted { $0.lineNumber < $1.lineNumber }
        heldBack = [:]
        return events
    }

    /// Returns the event, or holds it back when its process is a child not yet announced.
    private mutating func emit(_ event: TraceEvent) -> [TraceEvent] {
        if let process = event.processID, heldBack[process] != nil {
            heldBack[process, default: []].append(event)
            return []
        }
        return [event]
    }

    /// The process a line belongs to, from its prefix (see the type's documentation).
    private mutating func resolve(_ prefix: Int32?) -> Int32? {
        guard let pid = prefix else {
            if sawPrefix, live.count == 1, let only = live.first { return only }
            initialSeen = true
            live.insert(nil)
            return nil
        }
        sawPrefix = true
        if pid == initialAlias { return nil }
        if known.contains(pid) { return pid }
        if initialSeen, initialAlias == nil {
            initialAlias = pid
            return nil
        }
        known.insert(pid)
        live.insert(pid)
        if pending.values.contains(where: { StraceCall.forkNames.contains($0.name) }) { heldBack[pid] = [] }
        return pid
    }

    /// Reads and removes a `[pid N]` or `N ` prefix.
    private static func processPrefix(_ body: inout Substring) throws(TraceError.Reason) -> Int32? {
        if body.hasPrefix("[pid") {
            guard let close = body.firstIndex(of: "]") else { throw .invalidProcessID(String(body.prefix(16))) }
            let digits = body[body.index(body.startIndex, offsetBy: 4)..<close].trimmingSpaces
            guard let pid = Int32(digits), pid > 0 else { throw .invalidProcessID(String(digits)) }
            body = body[body.index(after: close)...].drop { $0 == " " }
            return pid
        }
        let digits = body.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, body.dropFirst(digits.count).first == " " else { return nil }
        guard let pid = Int32(digits), pid > 0 else { throw .invalidProcessID(String(digits)) }
        body = body.dropFirst(digits.count).drop { $0 == " " }
        return pid
    }

    /// Drops a `-t`, `-tt`, `-ttt` or `-r` timestamp.
    private static func droppingTimestamp(_ body: Substring) -> Substring {
        let trimmed = body.drop { $0 == " " }
        let stamp = trimmed.prefix { $0.isNumber || $0 == ":" || $0 == "." }
        guard !stamp.isEmpty, stamp.contains(where: { $0 == ":" || $0 == "." }),
            trimmed.dropFirst(stamp.count).first == " "
        else { return body }
        return trimmed.dropFirst(stamp.count).drop { $0 == " " }
    }

    /// Drops a `-T` duration (` <0.000012>`) and trailing spaces.
    private static func droppingDuration(_ body: Substring) -> Substring {
        var result = body
        while result.last == " " { result = result.dropLast() }
        if result.last == ">", let open = result.lastIndex(of: "<"),
            result[result.index(after: open)..<result.index(before: result.endIndex)]
                .allSatisfy({ $0.isNumber || $0 == "." }),
            open > result.startIndex, result[result.index(before: open)] == " "
        {
            result = result[..<open]
            while result.last == " " { result = result.dropLast() }
        }
        return result
    }

    /// The name of the call a line starts with.
    static func callName(_ text: some StringProtocol) -> String? {
        let name = text.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "?" }
        guard !name.isEmpty, text.dropFirst(name.count).first == "(" else { return nil }
        return String(name)
    }
}
