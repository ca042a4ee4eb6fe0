import CrashHarness
import Foundation
import MMUStore

/// A private folder for one test's store files, removed when released.
final class Scratch {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// The path of a file in the folder.
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
}

/// The base stores every fault run starts from (one per durability, built once per process),
/// and the fingerprints of the states a workload goes through from them.
final class CrashFixtures: @unchecked Sendable {
    static let shared = CrashFixtures()

    private let lock = NSLock()
    private let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-crash-fixtures-\(UUID().uuidString)")
    private var templates: [TranslationStore.Durability: String] = [:]
    private var states: [String: [StoreFingerprint]] = [:]

    /// The head generation of ``Workload/setName`` in the base state.
    static let baseGeneration: Int64 = 2

    /// The closed base store of `durability` (its file alone: no `-wal`, no journal).
    func template(_ durability: TranslationStore.Durability) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let path = templates[durability] { return path }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("base-\(durability.rawValue).sqlite").path
        try build(path, durability)
        for suffix in ["-wal", "-journal"] where FileManager.default.fileExists(atPath: path + suffix) {
            throw HarnessError("the base store \(path) was not closed cleanly: \(suffix) is left")
        }
        templates[durability] = path
        return path
    }

    private func build(_ path: String, _ durability: TranslationStore.Durability) throws {
        let store = try TranslationStore(path: path, creatingIfMissing: true, vfs: nil, durability: durability)
        try Workload.prepareBase(store)
        guard try store.set(named: Workload.setName).headGeneration == Self.baseGeneration else {
            throw HarnessError("the base state is not at generation \(Self.baseGeneration)")
        }
    }

    /// Puts a fresh copy of the base store of `durability` at `path`, removing whatever
    /// files of a previous run are there.
    func copyTemplate(_ durability: TranslationStore.Durability, to path: String) throws {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
        try FileManager.default.copyItem(atPath: try template(durability), toPath: path)
    }

    /// The fingerprints of the base state (index 0) and of the state after each of `steps`
    /// steps of `workload`, run without faults.
    func states(_ workload: Workload, _ durability: TranslationStore.Durability, steps: Int) throws -> [StoreFingerprint] {
        let key = "\(workload.rawValue)-\(durability.rawValue)-\(steps)"
        lock.lock()
        let known = states[key]
        lock.unlock()
        if let known { return known }
        let scratch = try Scratch()
        let path = scratch.path("reference.sqlite")
        try copyTemplate(durability, to: path)
        var result = [try StoreFingerprint(path: path)]
        for step in 0..<steps {
            do {
                let store = try TranslationStore(path: path, vfs: nil, durability: durability)
                try workload.run(step: step, on: store)
            }
            result.append(try StoreFingerprint(path: path))
        }
        lock.lock()
        states[key] = result
        lock.unlock()
        return result
    }

    deinit { try? FileManager.default.removeItem(at: folder) }
}

/// The fault points a sweep visits out of `1...count`: all of them up to `limit`, otherwise
/// the first and last `limit / 4` and an even spread between.
func sweepPoints(_ count: Int64, limit: Int) -> [Int64] {
    guard count > Int64(limit) else { return count > 0 ? Array(1...count) : [] }
    let edge = Int64(limit / 4)
    var points = Set(Array(1...edge) + Array((count - edge + 1)...count))
    let inner = Int64(limit) - 2 * edge
    let stride = max(1, (count - 2 * edge) / inner)
    var point = edge + 1
    while point <= count - edge {
        points.insert(point)
        point += stride
    }
    return points.sorted()
}

/// A counter of the runs of a sweep and what they found, for assertions and the report.
struct SweepTally: CustomStringConvertible {
    var runs = 0
    var faults = 0
    var points = 0
    var violations: [String] = []
    var errorButCommitted: [String] = []
    var retries = 0
    var notes: [String: Int] = [:]
    var slowest: [(String, Double)] = []

    mutating func note(_ key: String) { notes[key, default: 0] += 1 }

    /// Keeps the five slowest runs, to see where a sweep's time goes.
    mutating func time(_ label: String, since start: Date) {
        slowest.append((label, Date().timeIntervalSince(start)))
        slowest.sort { $0.1 > $1.1 }
        if slowest.count > 5 { slowest.removeLast() }
    }

    var description: String {
        "\(runs) runs, \(faults) faults injected, \(violations.count) violations, \(errorButCommitted.count) error-but-committed, "
            + "\(retries) idempotent retries; slowest " + slowest.map { "\($0.0) \(String(format: "%.2f s", $0.1))" }.joined(separator: ", ")
            + "; " + notes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}
