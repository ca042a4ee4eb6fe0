/// What the soak counted.
struct SoakSummary {
    /// Targets killed.
    var kills = 0
    /// Captures committed, each holding the target's whole area.
    var committed = 0
    /// Captures refused, by reason.
    var refused: [String: Int] = [:]
    /// Committed captures that missed pages, described.
    var violations: [String] = []

    /// The counts in one line.
    var line: String {
        let reasons = refused.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return "\(committed) committed whole, \(refused.values.reduce(0, +)) refused (\(reasons.isEmpty ? "none" : reasons)), \(violations.count) violations"
    }
}
