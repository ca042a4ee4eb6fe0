/// A row of one of the store's queries, read from a ``CachedStatement`` by column name.
///
/// A row type names the columns it reads (``columns(in:)``, resolved once per statement) and
/// reads the current row through them: call sites never count column positions.
protocol StoredRow {
    /// Where the row's columns are in one statement's result.
    associatedtype Columns
    /// Finds the row's columns in `statement`'s result by name.
    ///
    /// - Throws: ``StoreError`` naming the SQL when a column the row needs is missing.
    static func columns(in statement: CachedStatement) throws(StoreError) -> Columns
    /// Reads the current row of `statement`.
    ///
    /// - Throws: ``StoreError`` `invalidData` when the row type validates what it reads.
    init(_ statement: CachedStatement, _ columns: Columns) throws(StoreError)
}
