extension TraceStatistics {
    /// The counts of several traces added up, as one run over several trace files reports them.
    ///
    /// Every count is the sum of the parts' counts; the first bad line is that of the first part
    /// that skipped one.
    ///
    /// - Complexity: O(*n*) for *n* parts.
    public init(summing parts: some Sequence<TraceStatistics>) {
        self.init()
        for part in parts {
            lines += part.lines
            mmaps += part.mmaps
            munmaps += part.munmaps
            mprotects += part.mprotects
            brks += part.brks
            mremaps += part.mremaps
            discards += part.discards
            forks += part.forks
            execs += part.execs
            exits += part.exits
            instructions += part.instructions
            loads += part.loads
            stores += part.stores
            modifies += part.modifies
            failedCalls += part.failedCalls
            resumedCalls += part.resumedCalls
            otherCalls += part.otherCalls
            ignoredLines += part.ignoredLines
            badLines += part.badLines
            firstBadLine = firstBadLine ?? part.firstBadLine
        }
    }
}
