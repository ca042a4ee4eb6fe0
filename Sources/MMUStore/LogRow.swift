import MMUCore

/// A `transactionLog` row: the ``LogEntry`` it records, with its set id and chain value when the
/// query selects them.
struct LogRow: StoredRow {
    /// The entry; its `setName` is empty unless the query selects a `setName` column.
    var entry: LogEntry
    /// The set id, when the query selects `setId`.
    var setID: Int64?
    /// The chain value, when the query selects `chain`.
    var chain: UInt64?

    /// The operation count columns, named as ``MMUCore/OperationCounts``'s fields.
    static let countColumns = ["maps", "unmaps", "protects", "resizes", "globals", "copies", "accesses", "areas", "entriesAdded", "entriesRemoved"]

    struct Columns {
        let sequence, generation, globalGeneration, committedAt, label, digest, globalDigest: Int32
        /// Each count's field and column.
        let counts: [(field: WritableKeyPath<OperationCounts, Int>, column: Int32)]
        let setName, setID, chain: Int32?
    }

    static func columns(in statement: CachedStatement) throws(StoreError) -> Columns {
        let fields: [WritableKeyPath<OperationCounts, Int>] = [
            \.maps, \.unmaps, \.protects, \.resizes, \.globals, \.copies, \.accesses, \.areas, \.entriesAdded, \.entriesRemoved,
        ]
        var counts: [(field: WritableKeyPath<OperationCounts, Int>, column: Int32)] = []
        for (field, name) in zip(fields, countColumns) { counts.append((field, try statement.column(name))) }
        return Columns(
            sequence: try statement.column("sequence"), generation: try statement.column("generation"),
            globalGeneration: try statement.column("globalGeneration"), committedAt: try statement.column("committedAt"),
            label: try statement.column("label"), digest: try statement.column("digest"),
            globalDigest: try statement.column("globalDigest"), counts: counts, setName: statement.optionalColumn("setName"),
            setID: statement.optionalColumn("setId"), chain: statement.optionalColumn("chain"))
    }

    init(_ statement: CachedStatement, _ columns: Columns) {
        var counts = OperationCounts()
        for (field, column) in columns.counts { counts[keyPath: field] = Int(statement.int64(column)) }
        entry = LogEntry(
            sequence: statement.int64(columns.sequence), setName: columns.setName.map(statement.text) ?? "",
            generation: statement.int64(columns.generation), globalGeneration: statement.int64(columns.globalGeneration),
            committedAt: statement.text(columns.committedAt), label: statement.optionalText(columns.label), counts: counts,
            digest: UInt64(bitPattern: statement.int64(columns.digest)),
            globalDigest: UInt64(bitPattern: statement.int64(columns.globalDigest)))
        setID = columns.setID.map(statement.int64)
        chain = columns.chain.map { UInt64(bitPattern: statement.int64($0)) }
    }
}
