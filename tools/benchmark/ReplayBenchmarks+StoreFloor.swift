import BenchmarkReference
import MMUStore

/// The store floor (issue 14): only the `pageActivity` writes that a replay's transactions
/// must make, through SQLite's C API, and the check that they leave the rows the replay left.
extension ReplayBenchmarks {
    /// The set id of the floor's rows: the replay's set is the first after the global set.
    static let floorSetID: Int64 = 2

    /// Times the store floor of `deltas` into a new database at `path`, `group` transactions per
    /// commit, and reads back the rows it left.
    ///
    /// - Returns: The seconds of its timed region and its `pageActivity` rows, in page order.
    /// - Throws: ``BenchmarkError`` with the C reference's message.
    static func storeFloor(_ deltas: ReplayCounterDeltas, at path: String, group: Int, schema: String) throws
        -> (seconds: Double, rows: [reference_activity_row])
    {
        var seconds = 0.0
        var error: UnsafePointer<CChar>?
        var code = reference_replay_counters(
            path, schema, floorSetID, Int64(deltas.transactions), deltas.pageCounts, deltas.pages, deltas.accesses,
            deltas.writes, deltas.faults, Int64(group), &seconds, &error)
        guard code == 0 else { throw BenchmarkError("the store floor failed: \(error.map { String(cString: $0) } ?? "\(code)")") }
        var rows = [reference_activity_row](repeating: reference_activity_row(), count: deltas.distinctPages)
        var count: Int64 = 0
        code = reference_activity_rows(path, floorSetID, &rows, Int64(rows.count), &count, &error)
        guard code == 0 else {
            throw BenchmarkError("reading the store floor's rows failed: \(error.map { String(cString: $0) } ?? "\(code)")")
        }
        rows.removeLast(rows.count - Int(count))
        return (seconds, rows)
    }

    /// Requires the replay's set `setName` in the store at `path` to hold exactly the
    /// `pageActivity` rows `floor` (the store floor's), counters and generations alike.
    ///
    /// - Throws: ``BenchmarkError`` naming the first page, in page order, whose rows differ or
    ///   that only one of them has.
    static func requireFloorRows(_ floor: [reference_activity_row], in path: String, set setName: String, _ replayName: String)
        throws
    {
        let replay = try activityRows(path, set: setName)
        var floorIndex = 0, replayIndex = 0
        while floorIndex < floor.count || replayIndex < replay.count {
            let ours = replayIndex < replay.count ? replay[replayIndex] : nil
            let floorRow = floorIndex < floor.count ? floor[floorIndex] : nil
            if let ours, let floorRow, ours.page == floorRow.page {
                guard
                    (ours.accesses, ours.writes, ours.faults, ours.firstGeneration, ours.lastGeneration)
                        == (floorRow.accesses, floorRow.writes, floorRow.faults, floorRow.firstGeneration, floorRow.lastGeneration)
                else {
                    throw BenchmarkError(
                        "the replay (\(replayName)) and the store floor differ first at \(pageName(ours.page)): the replay's "
                            + "pageActivity row has \(text(ours)), the floor's \(text(floorRow))")
                }
                floorIndex += 1
                replayIndex += 1
            } else if let floorRow, ours.map({ floorRow.page < $0.page }) ?? true {
                throw BenchmarkError(
                    "the replay (\(replayName)) and the store floor differ first at \(pageName(floorRow.page)): only the floor has "
                        + "a pageActivity row (\(text(floorRow)))")
            } else if let ours {
                throw BenchmarkError(
                    "the replay (\(replayName)) and the store floor differ first at \(pageName(ours.page)): only the replay has "
                        + "a pageActivity row (\(text(ours)))")
            }
        }
    }

    /// The `pageActivity` rows of the set `setName` in the store at `path`, in page order.
    private static func activityRows(_ path: String, set setName: String) throws -> [reference_activity_row] {
        let result = try TranslationStore(path: path).query(
            """
            SELECT vpn, accesses, writes, faults, firstGeneration, lastGeneration FROM pageActivity
            WHERE setId = (SELECT id FROM translationSet WHERE name = '\(setName)') ORDER BY vpn
            """)
        return try result.rows.map { row in
            let values = try row.map { value in
                guard case .integer(let integer) = value else { throw BenchmarkError("a pageActivity row of \(path) holds \(value)") }
                return integer
            }
            return reference_activity_row(
                page: values[0], accesses: values[1], writes: values[2], faults: values[3], firstGeneration: values[4],
                lastGeneration: values[5])
        }
    }

    /// How an error names page `page`: by its address.
    private static func pageName(_ page: Int64) -> String {
        "the page at 0x\(String(UInt64(page) << 12, radix: 16))"
    }

    /// A row's counters and generations, in words.
    private static func text(_ row: reference_activity_row) -> String {
        "accesses \(row.accesses), writes \(row.writes), faults \(row.faults), generations \(row.firstGeneration)-\(row.lastGeneration)"
    }
}
