import MMUCore

/// The colours of the map, shared by the HTML page and the static SVG (and named in the legend).
public enum RenderPalette {
    /// The colour of entries of `size` when colouring by page size.
    public static func colour(of size: PageSize) -> String {
        switch size {
        case .size4KiB: "#4e79a7"
        case .size2MiB: "#59a14f"
        case .size1GiB: "#b07aa1"
        default: "#f28e2b"
        }
    }

    /// The colour of entries with `protection` when colouring by protection: kernel-only entries
    /// (no `u`) share one colour, user entries are told apart by their rights.
    public static func colour(of protection: Protection) -> String {
        guard protection.contains(.user) else { return "#7a1f5c" }
        switch protection.subtracting(.user) {
        case [.read]: return "#9ecae1"
        case [.read, .write]: return "#2171b5"
        case [.read, .execute]: return "#e15759"
        case [.read, .write, .execute]: return "#ff9d00"
        default: return "#bab0ac"
        }
    }

    /// The mark drawn on the global track above global entries.
    public static let global = "#e8b600"
    /// The hottest colour of the heat track (the coldest counted page is ``heatCold``).
    public static let heatHot = "#d7191c"
    /// The coldest colour of the heat track.
    public static let heatCold = "#fdd49e"
    /// The colour of a memory area.
    public static let area = "#c7d9e8"
    /// The hatching of a compressed gap.
    public static let gap = "#d9d9d9"
    /// The colours of the diff track, by change kind (the first kind of a change colours it).
    public static let changes: [(TranslationSet.Difference.Kinds, String)] = [
        (.added, "#2ca02c"), (.removed, "#d62728"), (.remapped, "#9467bd"), (.reprotected, "#ff7f0e"), (.resized, "#17becf"),
        (.attributes, "#8c564b"),
    ]
    /// The colours of memory area changes, by kind (the first kind of a change colours it).
    public static let areaChanges: [(TranslationSet.Difference.AreaKinds, String)] = [
        (.added, "#2ca02c"), (.removed, "#d62728"), (.resized, "#17becf"), (.reprotected, "#ff7f0e"), (.renamed, "#9467bd"),
        (.attributes, "#8c564b"),
    ]
    /// The page sizes the legend names (others share one colour).
    public static let legendSizes: [PageSize] = [.size4KiB, .size2MiB, .size1GiB]
    /// The protections the legend names.
    public static let legendProtections: [Protection] = [
        [.read, .user], [.read, .write, .user], [.read, .execute, .user], [.read, .write, .execute, .user], [.user], [.read, .write],
    ]
}
