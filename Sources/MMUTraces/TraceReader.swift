import MMUCore
/// Reads a trace file (or text) and hands out its ``TraceEvent``s one at a time.
///
/// The reader streams: it holds one chunk of the file at a time, so traces of any length can be
/// replayed. It is a reference type because it owns an open file; it must be used from one
/// thread at a time.
///
/// ```swift
/// let reader = try TraceReader(contentsOf: "ls.strace")
/// while let event = try reader.next() { … }
/// print(reader.statistics.mmaps)
/// ```
public final class TraceReader {
    /// The format being read.
    public let format: TraceFormat
    /// The file's path, or the name given to text.
    public let source: String
    /// How malformed lines are handled.
    public let options: TraceParsingOptions
    /// What has been read so far.
    public private(set) var statistics = TraceStatistics()

    private let lines: LineSource
    /// The open trace file (`nil` for text), for ``restarted(options:)``.
    private let file: POSIXFile?
    private var strace = StraceParser()
    private var lackey = LackeyParser()
    private var queued: [TraceEvent] = []
    private var queueIndex = 0
    private var finished = false
    /// A malformed line ``readAccesses(into:limit:)`` met after reading accesses, thrown by the
    /// next read so that the accesses before it are applied first.
    private var heldFailure: TraceError?

    /// Opens a trace file (once, without blocking: a FIFO, socket, device, directory or
    /// symbolic link is refused).
    ///
    /// - Parameters:
    ///   - format: The format; detected from the first lines when `nil`.
    /// - Throws: ``TraceError`` when the file cannot be read or its format cannot be told.
    public init(contentsOf path: String, format: TraceFormat? = nil, options: TraceParsingOptions = TraceParsingOptions())
        throws(TraceError)
    {
        let file: POSIXFile
        do {
            file = try POSIXFile(openingRegularFile: path)
        } catch {
            throw TraceError(file: path, lineNumber: 0, line: "", reason: .unreadable(error.problem))
        }
        do {
            lines = try LineSource(file: file, maximumLineLength: options.maximumLineLength)
        } catch {
            throw TraceError(file: path, lineNumber: 0, line: "", reason: .unreadable(error.message))
        }
        self.file = file
        self.source = path
        self.options = options
        self.format = try Self.format(format, of: lines, source: path)
    }

    /// Reads a trace held in memory.
    ///
    /// - Parameters:
    ///   - name: The name errors give as the file.
    ///   - format: The format; detected from the first lines when `nil`.
    /// - Throws: ``TraceError`` when the format cannot be told.
    public init(text: String, name: String, format: TraceFormat? = nil, options: TraceParsingOptions = TraceParsingOptions())
        throws(TraceError)
    {
        lines = LineSource(text: text, maximumLineLength: options.maximumLineLength)
        file = nil
        self.source = name
        self.options = options
        self.format = try Self.format(format, of: lines, source: name)
    }

    /// A new reader over the same open file from its start (the path is not opened again, so
    /// a file checked by a first pass cannot be swapped before the second), in the same format.
    ///
    /// - Throws: ``TraceError`` when the file cannot be read again, or for a reader of text.
    public func restarted(options: TraceParsingOptions) throws(TraceError) -> TraceReader {
        guard let file else { throw TraceError(file: source, lineNumber: 0, line: "", reason: .unreadable("text in memory cannot be restarted")) }
        do {
            return try TraceReader(file: try file.reopenedAtStart(), source: source, format: format, options: options)
        } catch {
            throw TraceError(file: source, lineNumber: 0, line: "", reason: .unreadable(error.message))
        }
    }

    private init(file: POSIXFile, source: String, format: TraceFormat, options: TraceParsingOptions) throws(POSIXFileError) {
        lines = try LineSource(file: file, maximumLineLength: options.maximumLineLength)
        self.file = file
        self.source = source
        self.format = format
        self.options = options
    }

    private static func format(_ format: TraceFormat?, of lines: LineSource, source: String) throws(TraceError)
        -> TraceFormat
    {
        if let format { return format }
        guard let detected = TraceFormat.detect(from: lines.peekLines(64)) else {
            throw TraceError(file: source, lineNumber: 0, line: "", reason: .unknownFormat)
        }
        return detected
    }

    /// The number of lines read so far.
    public var lineNumber: Int { lines.lineNumber }

    /// The next event, or `nil` at the end of the trace.
    ///
    /// - Throws: ``TraceError`` for a malformed line (unless ``TraceParsingOptions/skipBadLines``)
    ///   or a read error.
    /// - Complexity: Amortized O(*n*) in the length of the lines read.
    public func next() throws(TraceError) -> TraceEvent? {
        if format == .lackey { return try nextAccess() }
        while true {
            if queueIndex < queued.count {
                defer { queueIndex += 1 }
                statistics.count(queued[queueIndex].action)
                var event = queued[queueIndex]
                event.processID = event.processID ?? options.processID
                return event
            }
            queued.removeAll(keepingCapacity: true)
            queueIndex = 0
            if finished { return nil }
            guard let range = try nextLine() else {
                finished = true
                queued = strace.finish()
                continue
            }
            statistics.lines += 1
            let number = lines.lineNumber
            do throws(TraceError.Reason) {
                let text = lines.withBytes(of: range) { String(decoding: $0, as: UTF8.self) }
                queued = try strace.parse(text, lineNumber: number, statistics: &statistics)
            } catch {
                let line = lines.withBytes(of: range) { String(decoding: $0, as: UTF8.self) }
                let failure = TraceError(file: source, lineNumber: number, line: line, reason: error)
                guard options.skipBadLines else { throw failure }
                statistics.skip(failure)
            }
        }
    }

    /// The next access of a lackey trace as an event.
    private func nextAccess() throws(TraceError) -> TraceEvent? {
        guard let traced = try nextTracedAccess() else { return nil }
        return TraceEvent(processID: traced.processID, lineNumber: traced.lineNumber, action: .access(traced.access))
    }

    /// Reads the next accesses of a lackey trace into `chunk` (emptied first): up to `limit`,
    /// fewer at the end of the trace or before a malformed line, which the next call throws.
    ///
    /// The lines already in the buffer are parsed in a batch, with the parser and the counts
    /// held in local copies; a line that is not (the buffer's last, a long one) is read alone.
    ///
    /// - Throws: ``TraceError`` as ``next()`` does, when no access comes before it.
    /// - Complexity: O(*n*) in the length of the lines read.
    package func readAccesses(into chunk: inout [TracedAccess], limit: Int) throws(TraceError) {
        chunk.removeAll(keepingCapacity: true)
        while chunk.count < limit {
            if heldFailure == nil {
                let (consumed, failure) = readBufferedAccesses(into: &chunk, limit: limit - chunk.count)
                if let failure {
                    guard !chunk.isEmpty else { throw failure }
                    heldFailure = failure
                    return
                }
                if consumed > 0 { continue }
            }
            do {
                guard let access = try nextTracedAccess() else { return }
                chunk.append(access)
            } catch {
                guard !chunk.isEmpty else { throw error }
                heldFailure = error
                return
            }
        }
    }

    /// Parses up to `limit` lines already in the buffer into `chunk`, up to a malformed line
    /// (consumed too) that is returned, or skipped and counted with
    /// ``TraceParsingOptions/skipBadLines``.
    ///
    /// - Returns: The lines consumed, and the malformed line.
    private func readBufferedAccesses(into chunk: inout [TracedAccess], limit: Int) -> (lines: Int, failure: TraceError?) {
        var parser = lackey, counts = statistics, lineNumber = lines.lineNumber
        var failure: TraceError?
        let source = self.source, skipBadLines = options.skipBadLines, defaultProcess = options.processID
        let consumed = lines.consumeBufferedLines(limit: limit) { line, endOffset in
            lineNumber += 1
            counts.lines += 1
            do throws(TraceError.Reason) {
                guard let access = try parser.parse(line) else {
                    counts.ignoredLines += 1
                    return true
                }
                counts.count(access.kind)
                chunk.append(
                    TracedAccess(access: access, processID: parser.processID ?? defaultProcess, lineNumber: lineNumber, endOffset: endOffset))
                return true
            } catch {
                let refused = TraceError(file: source, lineNumber: lineNumber, line: String(decoding: line, as: UTF8.self), reason: error)
                guard skipBadLines else {
                    failure = refused
                    return false
                }
                counts.skip(refused)
                return true
            }
        }
        (lackey, statistics) = (parser, counts)
        return (consumed, failure)
    }

    /// The next access of a lackey trace: the fast path, without the queue strace needs.
    private func nextTracedAccess() throws(TraceError) -> TracedAccess? {
        if let failure = heldFailure {
            heldFailure = nil
            throw failure
        }
        while true {
            guard let range = try nextLine() else { return nil }
            statistics.lines += 1
            do throws(TraceError.Reason) {
                guard let access = try lines.withBytes(of: range, { (bytes) throws(TraceError.Reason) -> RecordedAccess? in
                    try lackey.parse(bytes)
                }) else {
                    statistics.ignoredLines += 1
                    continue
                }
                statistics.count(access.kind)
                return TracedAccess(
                    access: access, processID: lackey.processID ?? options.processID, lineNumber: lines.lineNumber, endOffset: lines.offset)
            } catch {
                let line = lines.withBytes(of: range) { String(decoding: $0, as: UTF8.self) }
                let failure = TraceError(file: source, lineNumber: lines.lineNumber, line: line, reason: error)
                guard options.skipBadLines else { throw failure }
                statistics.skip(failure)
            }
        }
    }

    /// Where the reader is, when a simulation can go on from there with a fresh reader of the
    /// same trace: always in a lackey trace (one event per line, the `==PID==` banner aside),
    /// and in an strace trace only at its end (its parser holds unfinished calls and lines held
    /// back across lines). `nil` otherwise, or when the bytes before it cannot be read.
    public var position: TracePosition? {
        guard format == .lackey || (finished && queueIndex >= queued.count) else { return nil }
        return position(afterLine: lines.lineNumber, offset: lines.offset)
    }

    /// The position after `line`, whose last byte is before `offset` (an access read earlier
    /// by ``readAccesses(into:limit:)``), or `nil` when the bytes before it cannot be read.
    package func position(afterLine line: Int, offset: UInt64) -> TracePosition? {
        guard let before = try? lines.bytes(endingAt: offset, count: TracePosition.fingerprintLength) else { return nil }
        return TracePosition(file: source, line: line, byteOffset: offset, fingerprint: TracePosition.fingerprint(of: before))
    }

    /// Whether this trace holds `position`: the bytes before its offset have its fingerprint.
    /// Call it before reading.
    ///
    /// - Throws: ``TraceError`` when the trace cannot be read.
    public func holds(_ position: TracePosition) throws(TraceError) -> Bool {
        let wanted = Int(min(position.byteOffset, UInt64(TracePosition.fingerprintLength)))
        let before: [UInt8]
        do {
            before = try lines.bytes(endingAt: position.byteOffset, count: wanted)
        } catch {
            throw TraceError(file: source, lineNumber: 0, line: "", reason: .unreadable(error.message))
        }
        return before.count == wanted && TracePosition.fingerprint(of: before) == position.fingerprint
    }

    /// Reads on from `position` (of this trace, see ``holds(_:)``): the lines before it are not
    /// read, and line numbers go on from its line. Call it before reading.
    ///
    /// - Throws: ``TraceError`` when the trace cannot be read there.
    public func skip(to position: TracePosition) throws(TraceError) {
        do {
            try lines.move(to: position.byteOffset, lineNumber: position.line)
        } catch {
            throw TraceError(file: source, lineNumber: position.line, line: "", reason: .unreadable(error.message))
        }
    }

    /// The next line of at most ``TraceParsingOptions/maximumLineLength`` bytes, or `nil` at the end:
    /// a longer line is read past, then thrown or (``TraceParsingOptions/skipBadLines``)
    /// counted as a bad line.
    private func nextLine() throws(TraceError) -> Range<Int>? {
        while true {
            let length: Int, start: [UInt8]
            do {
                return try lines.nextLine()
            } catch {
                switch error {
                case .read(let error):
                    throw TraceError(file: source, lineNumber: lines.lineNumber + 1, line: "", reason: .unreadable(error.message))
                case .tooLong(let tooLong, let bytes): (length, start) = (tooLong, bytes)
                }
            }
            statistics.lines += 1
            let failure = TraceError(
                file: source, lineNumber: lines.lineNumber, line: String(decoding: start, as: UTF8.self) + (start.count < length ? "…" : ""),
                reason: .lineTooLong(length: length, limit: options.maximumLineLength))
            guard options.skipBadLines else { throw failure }
            statistics.skip(failure)
        }
    }

    /// Reads every remaining line, checking it, and keeps only the ``statistics``: a first pass
    /// that finds a malformed line before anything is simulated.
    ///
    /// - Throws: ``TraceError`` as ``next()`` does.
    /// - Complexity: O(*n*) in the length of the trace.
    public func readToEnd() throws(TraceError) {
        guard format == .lackey else {
            while try next() != nil {}
            return
        }
        var chunk: [TracedAccess] = []
        repeat {
            try readAccesses(into: &chunk, limit: 4096)
        } while !chunk.isEmpty
    }

    /// Reads every remaining event.
    ///
    /// - Throws: ``TraceError`` as ``next()`` does.
    /// - Complexity: O(*n*) in the length of the trace.
    public func readAll() throws(TraceError) -> [TraceEvent] {
        var events: [TraceEvent] = []
        while let event = try next() { events.append(event) }
        return events
    }
}

@available(*, unavailable, message: "a trace reader owns a file position; use it from one thread")
extension TraceReader: Sendable {}
