import Foundation
import MMUTraces
import Testing

struct TraceStatisticsTests {
    /// Statistics whose every count is `value`, set through their coded form so that a count
    /// added later is covered too.
    func statistics(allCountsAt value: Int) throws -> TraceStatistics {
        let coded = try JSONEncoder().encode(TraceStatistics())
        let counts = try #require(try JSONSerialization.jsonObject(with: coded) as? [String: Any])
        let filled = counts.mapValues { $0 is Int ? value as Any : $0 }
        return try JSONDecoder().decode(TraceStatistics.self, from: try JSONSerialization.data(withJSONObject: filled))
    }

    @Test func theSumAddsEveryCountAndKeepsTheFirstBadLine() throws {
        let bad = TraceError(file: "b.strace", lineNumber: 7, line: "garbage", reason: .unrecognizedLine)
        var first = try statistics(allCountsAt: 1), second = try statistics(allCountsAt: 2)
        second.firstBadLine = bad
        let sum = TraceStatistics(summing: [first, second])
        let coded = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(sum)) as? [String: Any])
        let counts = coded.compactMapValues { $0 as? Int }
        #expect(counts.count >= 19)
        #expect(counts.values.allSatisfy { $0 == 3 }, "\(counts)")
        #expect(sum.firstBadLine == bad)
        first.firstBadLine = TraceError(file: "a.strace", lineNumber: 1, line: "?", reason: .unrecognizedLine)
        #expect(TraceStatistics(summing: [first, second]).firstBadLine == first.firstBadLine)
        #expect(TraceStatistics(summing: []) == TraceStatistics())
    }
}
