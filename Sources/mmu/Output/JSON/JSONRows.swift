import MMUStore

/// What `mmu rows --json` prints: the file checked, the directory written, and each table's
/// columns, row count and CSV file.
struct JSONRows: Encodable {
    let file: String
    let directory: String
    let tables: [TableRows]
}
