import ArgumentParser
import Foundation
import MMUCore
import MMUStore

/// `untrusted`: opens, checks, shows and diffs every file of a list through the safe opener,
/// printing one result per file, so that a parent can tell a crash or a hang (a `BEGIN` with no
/// `RESULT`) from a rejection.
struct UntrustedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "untrusted",
        abstract: "Open each listed file as untrusted; print BEGIN N, then RESULT N accepted|rejected STAGE|different WHAT.")

    @Option(help: "The valid store the files were made from.") var template: String
    @Option(help: "A file with one path per line.") var list: String
    @Option(help: "Start at this line of the list (0-based), after a crash.") var from: Int = 0
    @Option(help: "Seconds each stage of the opener may take.") var timeout: Double = 5

    /// Everything a reader can see of a set: its head and every snapshot, entries and areas.
    struct Content: Equatable {
        var head: TranslationSet
        var snapshots: [String: TranslationSet]
        var snapshotGenerations: [String: Int64]
        var architecture: String?
    }

    static func content(of store: TranslationStore) throws -> [String: Content] {
        var result: [String: Content] = [:]
        for set in try store.sets(includingGlobal: true) {
            let snapshots = try store.snapshots(of: set.name)
            result[set.name] = Content(
                head: try store.translationSet(named: set.name, includingActivity: true),
                snapshots: Dictionary(uniqueKeysWithValues: try snapshots.map { ($0.name, try store.translationSet(named: set.name, at: .snapshot($0.name))) }),
                snapshotGenerations: Dictionary(uniqueKeysWithValues: snapshots.map { ($0.name, $0.generation) }),
                architecture: set.architectureName)
        }
        return result
    }

    func run() throws {
        let expected = try Self.content(of: TranslationStore(path: template))
        let expectedLog = try TranslationStore(path: template).log()
        let paths = try String(contentsOfFile: list, encoding: .utf8).split(separator: "\n").map(String.init)
        for (index, path) in paths.enumerated().dropFirst(from) {
            emit("BEGIN \(index)")
            do {
                let store = try TranslationStore.openUntrusted(path: path, timeout: timeout)
                let report = try store.check()
                guard report.isSound else {
                    emit("RESULT \(index) different check after accepting: \(report.problems.first ?? "")")
                    continue
                }
                let found = try Self.content(of: store)
                var differences: [String] = []
                if Set(found.keys) != Set(expected.keys) { differences.append("sets \(found.keys.sorted())") }
                for (name, content) in expected {
                    guard let other = found[name] else { continue }
                    if other.head.entries != content.head.entries { differences.append("\(name) entries") }
                    if other.head.areas != content.head.areas { differences.append("\(name) areas") }
                    if other.head.pageActivity != content.head.pageActivity { differences.append("\(name) page activity") }
                    if other.snapshots != content.snapshots || other.snapshotGenerations != content.snapshotGenerations {
                        differences.append("\(name) snapshots")
                    }
                    if other.architecture != content.architecture { differences.append("\(name) architecture") }
                    if name != TranslationStore.globalSetName, try !store.difference(of: name, from: .generation(0), to: .head).changes.elementsEqual(
                        try TranslationStore(path: template).difference(of: name, from: .generation(0), to: .head).changes)
                    {
                        differences.append("\(name) history")
                    }
                }
                if try store.log() != expectedLog { differences.append("transaction log") }
                emit(differences.isEmpty ? "RESULT \(index) accepted" : "RESULT \(index) different \(differences.joined(separator: ", "))")
            } catch let error as StoreError {
                let stage = error.message.range(of: "stage '[^']+'", options: .regularExpression).map { String(error.message[$0]) } ?? "code \(error.code)"
                emit("RESULT \(index) rejected \(stage.replacingOccurrences(of: " ", with: "_"))")
            } catch {
                emit("RESULT \(index) untyped \(error)")
            }
        }
        emit("DONE")
    }
}
