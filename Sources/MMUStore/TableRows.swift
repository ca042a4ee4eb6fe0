/// What ``TranslationStore/writeRows(of:asCSVTo:)`` wrote: one table of a store as a CSV file.
public struct TableRows: Hashable, Sendable, Codable {
    /// The table.
    public var table: String
    /// Its columns, in the order of the file's header line (generated columns left out).
    public var columns: [String]
    /// The rows written below the header.
    public var rows: Int
    /// The file written.
    public var path: String

    /// Describes a table written as CSV.
    public init(table: String, columns: [String], rows: Int, path: String) {
        self.table = table
        self.columns = columns
        self.rows = rows
        self.path = path
    }
}
