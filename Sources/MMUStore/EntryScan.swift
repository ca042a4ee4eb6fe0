import GRDB
import MMUCore

/// One pass over every `mmuEntry` row in primary-key order (set, page, birth), gathering what
/// the store invariants need: decoding errors, overlapping live entries (within a set and
/// against the global set), architecture rules, generations beyond a head, several live
/// versions of one page, row counts, live summary recounts and per-generation digest deltas.
struct EntryScan {
    struct SummaryKey: Hashable {
        let setID: Int64, shift: Int64, protection: Int64
    }

    /// At most this many problems of one kind are listed (a damaged file could have millions).
    static let problemLimit = 50

    let sets: [StoredSet]
    let names: [Int64: String]
    private(set) var entryProblems: [String] = []
    private(set) var generationProblems: [String] = []
    private(set) var summary: [SummaryKey: Int64] = [:]
    private(set) var digestDeltas: [Int64: [Int64: UInt64]] = [:]

    init(sets: [StoredSet], in db: Database) throws {
        self.sets = sets
        names = Dictionary(uniqueKeysWithValues: sets.map { ($0.id, $0.info.name) })
        let byID = Dictionary(uniqueKeysWithValues: sets.map { ($0.id, $0) })
        var global: [MMUEntry] = []
        var rowCounts: [Int64: Int] = [:]
        var previousLive: (setID: Int64, entry: MMUEntry)?
        let rows = try CachedStatement(
            "SELECT \(EntryRow.selection), e.setId AS setId, e.born AS born, e.died AS died FROM mmuEntry e ORDER BY e.setId, e.vpn, e.born",
            on: db)
        try rows.forEach(EntryRow.self) { row in
            let setID = row.setID ?? 0, born = row.born ?? 0, died = row.died
            rowCounts[setID, default: 0] += 1
            guard let set = byID[setID] else {
                if rowCounts[setID] == 1 { note(&generationProblems, "orphan entry rows of set id \(setID)") }
                return
            }
            let entry: MMUEntry
            do throws(StoreError) {
                entry = try row.entry(inSet: set.info.name, global: false)
            } catch {
                note(&entryProblems, error.message)
                return
            }
            if born > set.info.headGeneration || (died ?? -1) > set.info.headGeneration {
                note(&generationProblems, "set '\(set.info.name)': row at page 0x\(String(entry.pageNumber, radix: 16)) has born \(born)\(died.map { ", died \($0)" } ?? "") beyond head \(set.info.headGeneration)")
            }
            digestDeltas[setID, default: [:]][born, default: 0] &+= entry.contentHash
            if let died { digestDeltas[setID, default: [:]][died, default: 0] &-= entry.contentHash }
            guard died == nil else { return }
            summary[SummaryKey(setID: setID, shift: Int64(entry.size.shift), protection: Int64(entry.protection.rawValue)), default: 0] += 1
            if let previousLive, previousLive.setID == setID {
                if previousLive.entry.pageNumber == entry.pageNumber {
                    note(&generationProblems, "set '\(set.info.name)': several live versions at page 0x\(String(entry.pageNumber, radix: 16))")
                } else if previousLive.entry.range.upperPage > entry.pageNumber {
                    note(&entryProblems, "set '\(set.info.name)': live entries \(previousLive.entry) and \(entry) overlap")
                }
            }
            previousLive = (setID, entry)
            if setID == TranslationStore.globalSetID {
                global.append(entry)
                return
            }
            let index = global.firstIndex(endingAfter: entry.pageNumber)
            if index < global.count, global[index].range.overlaps(entry.range) {
                note(&entryProblems, "set '\(set.info.name)': live entry \(entry) overlaps the global entry \(global[index])")
            }
            if let architecture = set.info.architecture {
                do { try architecture.check(entry) } catch {
                    note(&entryProblems, "set '\(set.info.name)': \(entry): \(error)")
                }
            }
        }
        let areas = try CachedStatement("SELECT \(AreaRow.selection), setId, born, died FROM memoryArea", on: db)
        try areas.forEach(AreaRow.self) { row in
            guard let setID = row.setID, let born = row.born, let set = byID[setID], let area = try? row.area(inSet: set.info.name)
            else { return }
            digestDeltas[setID, default: [:]][born, default: 0] &+= area.contentHash
            if let died = row.died { digestDeltas[setID, default: [:]][died, default: 0] &-= area.contentHash }
        }
        for set in sets where rowCounts[set.id, default: 0] != set.info.storedRows {
            note(&generationProblems, "set '\(set.info.name)': \(set.info.storedRows) rows recorded, \(rowCounts[set.id, default: 0]) stored")
        }
    }

    private func note(_ list: inout [String], _ problem: String) {
        if list.count < Self.problemLimit { list.append(problem) } else if list.count == Self.problemLimit { list.append("… more problems of this kind") }
    }

    /// Compares every recorded digest (each set's head, and each log row's set and global
    /// digests still in history) with the one the rows give.
    func digestProblems(in db: Database) throws -> [String] {
        var problems: [String] = []
        // The digest at generation g (-1 to the head) sums the deltas of generations 0 to g:
        // kept at the generations that have deltas, so a huge head costs nothing.
        func digests(_ setID: Int64, through head: Int64) -> (Int64) -> UInt64? {
            var generations: [Int64] = [], sums: [UInt64] = []
            var running: UInt64 = 0
            for (generation, delta) in (digestDeltas[setID] ?? [:]).filter({ (0...max(head, 0)).contains($0.key) }).sorted(by: { $0.key < $1.key }) {
                running &+= delta
                generations.append(generation)
                sums.append(running)
            }
            return { generation in
                guard generation >= -1, generation <= head else { return nil }
                var low = 0, high = generations.count
                while low < high {
                    let middle = (low + high) / 2
                    if generations[middle] <= generation { low = middle + 1 } else { high = middle }
                }
                return low == 0 ? 0 : sums[low - 1]
            }
        }
        let global = sets.first { $0.id == TranslationStore.globalSetID }
        let globalDigests = digests(TranslationStore.globalSetID, through: global?.info.headGeneration ?? -1)
        for set in sets {
            let own = set.id == TranslationStore.globalSetID ? globalDigests : digests(set.id, through: set.info.headGeneration)
            if own(set.info.headGeneration) != set.info.headDigest {
                problems.append("set '\(set.info.name)': the live rows do not match the recorded head digest")
            }
            guard set.id != TranslationStore.globalSetID else { continue }
            let logged = try CachedStatement("SELECT * FROM transactionLog WHERE setId = ?1 AND generation >= ?2 ORDER BY generation", on: db)
            try logged.bind(set.id, set.info.compactedThrough)
            try logged.forEach(LogRow.self) { row in
                let generation = row.entry.generation, globalGeneration = row.entry.globalGeneration
                if own(generation) != row.entry.digest {
                    problems.append("set '\(set.info.name)': generation \(generation) does not match its logged digest")
                }
                if globalGeneration >= (global?.info.compactedThrough ?? -1), globalDigests(globalGeneration) != row.entry.globalDigest {
                    problems.append("set '\(set.info.name)': global generation \(globalGeneration) does not match its logged digest")
                }
            }
        }
        return problems
    }
}
