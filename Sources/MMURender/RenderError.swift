/// Why a set could not be rendered.
public enum RenderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The set has more runs of entry versions than one page should hold (the set, the runs, the limit).
    case tooLarge(set: String, runs: Int, limit: Int, withHistory: Bool)
    /// The output path exists and replacing it was not asked for.
    case outputExists(path: String)
    /// The output could not be written (the path, the system's reason).
    case cannotWrite(path: String, reason: String)

    /// What went wrong and what to do about it.
    public var description: String {
        switch self {
        case .tooLarge(let set, let runs, let limit, let withHistory):
            "set '\(set)' needs \(runs) runs of entries\(withHistory ? " (with its history)" : ""), more than the \(limit) one page holds: "
                + (withHistory ? "render the version alone with --no-history, or " : "")
                + "raise the limit with --max-runs \(runs) (the page grows and gets slower)"
        case .outputExists(let path):
            "'\(path)' already exists: choose another output with -o, or replace it with --force"
        case .cannotWrite(let path, let reason):
            "cannot write '\(path)': \(reason)"
        }
    }
}
