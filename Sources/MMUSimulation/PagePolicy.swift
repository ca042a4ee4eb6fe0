/// Which page sizes a simulated process gets.
public enum PagePolicy: String, CaseIterable, Hashable, Sendable, Codable {
    /// 4 KiB pages only.
    case fourKiB = "4k"
    /// Transparent huge pages: a 2 MiB-aligned region that lies in one anonymous private area
    /// and is fully populated with pages on contiguous frames is promoted to one 2 MiB page
    /// (``MMUCore/TranslationSet/Transaction/resize(_:to:)``), and demoted again when a call
    /// cuts it.
    case transparentHugePages = "thp"
}
