/// A RISC-V paging scheme (Sv39, Sv48, Sv57) as a type, so that each scheme's tables are
/// compiled with its number of levels as a constant.
protocol RISCVPagingScheme: Sendable {
    /// The number of levels: 3, 4 or 5.
    static var levels: Int { get }
}

/// Sv39: three levels.
enum RISCVSv39: RISCVPagingScheme {
    static var levels: Int { 3 }
}

/// Sv48: four levels.
enum RISCVSv48: RISCVPagingScheme {
    static var levels: Int { 4 }
}

/// Sv57: five levels.
enum RISCVSv57: RISCVPagingScheme {
    static var levels: Int { 5 }
}
