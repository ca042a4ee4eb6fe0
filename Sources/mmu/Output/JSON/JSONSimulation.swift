import MMUSimulation
import MMUTraces

/// `mmu simulate --json`: what the simulation did (`report`) and what the traces held (`trace`).
struct JSONSimulation: Encodable {
    let report: SimulationReport
    let trace: TraceStatistics

    private enum CodingKeys: String, CodingKey { case report, trace }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Report(report: report), forKey: .report)
        try container.encode(Trace(trace: trace), forKey: .trace)
    }

    /// The report with `firstUnmodelledLine` `null` when every call was modelled.
    private struct Report: Encodable {
        let report: SimulationReport

        private enum CodingKeys: String, CodingKey { case firstUnmodelledLine }

        func encode(to encoder: any Encoder) throws {
            try report.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            if report.firstUnmodelledLine == nil { try container.encodeNil(forKey: .firstUnmodelledLine) }
        }
    }

    /// The trace counts, with the first skipped bad line as its file, number, text and reason (or `null`).
    private struct Trace: Encodable {
        let trace: TraceStatistics


        private struct BadLine: Encodable {
            let file: String, lineNumber: Int, line: String, message: String
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: JSONKey.self)
            let counts: [(String, Int)] = [
                ("lines", trace.lines), ("mmaps", trace.mmaps), ("munmaps", trace.munmaps), ("mprotects", trace.mprotects),
                ("brks", trace.brks), ("mremaps", trace.mremaps), ("discards", trace.discards), ("forks", trace.forks),
                ("execs", trace.execs), ("exits", trace.exits), ("instructions", trace.instructions), ("loads", trace.loads),
                ("stores", trace.stores), ("modifies", trace.modifies), ("failedCalls", trace.failedCalls),
                ("resumedCalls", trace.resumedCalls), ("otherCalls", trace.otherCalls), ("ignoredLines", trace.ignoredLines),
                ("badLines", trace.badLines),
            ]
            for (name, count) in counts { try container.encode(count, forKey: JSONKey(stringValue: name)) }
            let bad = trace.firstBadLine.map { BadLine(file: $0.file, lineNumber: $0.lineNumber, line: $0.line, message: $0.description) }
            try container.encode(bad, forKey: JSONKey(stringValue: "firstBadLine"))
        }
    }
}
