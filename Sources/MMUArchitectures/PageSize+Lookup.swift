import MMUCore

extension PageSize {
    /// Page sizes by shift (`nil` outside 12...32), without a call per lookup on walk paths.
    static let byShift: [PageSize?] = (0..<64).map { PageSize(shift: $0) }
}
