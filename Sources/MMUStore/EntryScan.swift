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
        let rows = try SQLiteStatement(db, "SELECT \(EntryRow.columns), e.setId, e.born, e.died FROM mmuEntry e ORDER BY e.setId, e.vpn, e.born")
        while try rows.step() {
            let setID = rows.int64(5), born = rows.int64(6), died: Int64? = rows.isNull(7) ? nil : rows.int64(7)
            rowCounts[setID, default: 0] += 1
            guard let set = byID[setID] else {
                if rowCounts[setID] == 1 { note(&generationProblems, "orphan entry rows of set id \(setID)") }
                continue
            }
            let entry: MMUEntry
            do {
                entry = try EntryRow.decode(rows, setName: set.info.name, global: false, accessState: false)
            } catch {
                note(&entryProblems, error.message)
                continue
            }
            if born > set.info.headGeneration || (died ?? -1) > set.info.headGeneration {
                note(&generationProblems, "set '\(set.info.name)': row at page 0x\(String(entry.pageNumber, radix: 16)) has born \(born)\(died.map { ", died \($0)" } ?? "") beyond head \(set.info.headGeneration)")
            }
            digestDeltas[setID, default: [:]][born, default: 0] &+= entry.contentHash
            if let died { digestDeltas[setID, default: [:]][died, default: 0] &-= entry.contentHash }
            guard died == nil else { continue }
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
                continue
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
        let areas = try SQLiteStatement(db, "SELECT vpn, pageCount, protection, kind, isShared, name, setId, born, died FROM memoryArea")
        while try areas.step() {
            let setID = areas.int64(6)
            guard let set = byID[setID], let area = try? EntryRow.decodeArea(areas, setName: set.info.name) else { continue }
            digestDeltas[setID, default: [:]][areas.int64(7), default: 0] &+= area.contentHash
            if !areas.isNull(8) { digestDeltas[setID, default: [:]][areas.int64(8), default: 0] &-= area.contentHash }
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
            let logged = try SQLiteStatement(db, """
                SELECT generation, globalGeneration, digest, globalDigest FROM transactionLog
                WHERE setId = ?1 AND generation >= ?2 ORDER BY generation
                """)
            logged.bind(set.id, set.info.compactedThrough)
            while try logged.step() {
                let generation = logged.int64(0), globalGeneration = logged.int64(1)
                if own(generation) != UInt64(bitPattern: logged.int64(2)) {
                    problems.append("set '\(set.info.name)': generation \(generation) does not match its logged digest")
                }
                if globalGeneration >= (global?.info.compactedThrough ?? -1),
                    globalDigests(globalGeneration) != UInt64(bitPattern: logged.int64(3))
                {
                    problems.append("set '\(set.info.name)': global generation \(globalGeneration) does not match its logged digest")
                }
            }
        }
        return problems
    }
}
