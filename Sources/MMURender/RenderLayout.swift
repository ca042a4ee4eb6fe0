/// Where each track of the map lies, in pixels from the top of the map (the same in the HTML page,
/// where the map is the first thing on the page, and in the static SVG).
public enum RenderLayout {
    /// The axis labels (segment starts, the halves of the address space).
    public static let axis = 0.0..<22.0
    /// The entries, coloured by page size or protection.
    public static let entries = 24.0..<104.0
    /// The marks above global entries.
    public static let global = 106.0..<114.0
    /// The page counters (accesses).
    public static let heat = 118.0..<138.0
    /// The memory areas with their names.
    public static let areas = 142.0..<172.0
    /// The entry changes of `--compare`.
    public static let changes = 176.0..<189.0
    /// The memory area changes of `--compare`.
    public static let areaChanges = 190.0..<196.0
    /// The height of the map.
    public static let height = 200.0
    /// The height of the history view (address down, generation across).
    public static let historyHeight = 260.0

    /// The tracks as the page's script reads them.
    static var json: String {
        let tracks: [(String, Range<Double>)] = [
            ("axis", axis), ("entries", entries), ("global", global), ("heat", heat), ("areas", areas), ("changes", changes), ("areaChanges", areaChanges),
        ]
        return "{" + tracks.map { "\"\($0.0)\":[\(Int($0.1.lowerBound)),\(Int($0.1.upperBound))]" }.joined(separator: ",")
            + ",\"height\":\(Int(height)),\"historyHeight\":\(Int(historyHeight))}"
    }
}
