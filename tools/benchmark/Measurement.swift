import Foundation

/// One benchmark's samples: ours and, where there is one, the same-run reference's.
struct Measurement: Codable {
    /// What was measured.
    var operation: String
    /// The unit of the samples, such as `entries/s` or `ms`.
    var unit: String
    /// Whether a larger value is better (rates) or worse (times).
    var higherIsBetter: Bool
    /// Our samples.
    var ours: [Double]
    /// The reference's samples, measured interleaved with ours.
    var reference: [Double]?
    /// What the reference is.
    var referenceName: String?
    /// The target, as text, and whether the median meets it.
    var target: String
    var targetMet: Bool?

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    var oursMedian: Double { Self.median(ours) }
    var referenceMedian: Double? { reference.map(Self.median) }

    /// Ours relative to the reference: >1 means we are better.
    var ratio: Double? {
        guard let reference = referenceMedian, reference > 0, oursMedian > 0 else { return nil }
        return higherIsBetter ? oursMedian / reference : reference / oursMedian
    }
}

/// Formats numbers for the results table.
enum Format {
    static func value(_ value: Double, _ unit: String) -> String {
        if unit.hasSuffix("/s") {
            if value >= 1e6 { return String(format: "%.2fM", value / 1e6) }
            if value >= 1e3 { return String(format: "%.1fk", value / 1e3) }
            return String(format: "%.0f", value)
        }
        if value >= 100 { return String(format: "%.0f", value) }
        if value >= 10 { return String(format: "%.1f", value) }
        return String(format: "%.2f", value)
    }

    static func table(_ measurements: [Measurement]) -> String {
        var rows = [["operation", "unit", "ours median", "ours min-max", "reference", "ratio", "target", "met"]]
        for m in measurements {
            let range = "\(value(m.ours.min() ?? .nan, m.unit))-\(value(m.ours.max() ?? .nan, m.unit))"
            rows.append([
                m.operation, m.unit, value(m.oursMedian, m.unit), range,
                m.referenceMedian.map { "\(value($0, m.unit)) (\(m.referenceName ?? ""))" } ?? "-",
                m.ratio.map { String(format: "%.2fx", $0) } ?? "-", m.target,
                m.targetMet.map { $0 ? "yes" : "NO" } ?? "-",
            ])
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

/// Seconds taken by `body`.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let elapsed = try clock.measure(body)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// A fresh private directory for one run's files.
func scratchDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}
