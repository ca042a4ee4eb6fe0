import ArgumentParser
import Foundation
import MMUCore
import MMUStore

extension MMUCommand {
    /// `mmu diff`: how one address space differs from another.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show how B differs from A: added, removed, remapped, reprotected, resized and attribute changes.",
            discussion: """
                Each side is [FILE:]SET[@SNAPSHOT|@GENERATION]. FILE defaults to the --database file; another \
                file (another run's) is opened read-only through the safe opener and never modified. Within one \
                file and one set, only the rows that changed between the two generations are read. \
                Exit status as diff(1): 0 the same, 1 different, 2 trouble.
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "The old side.") var old: SetReference
        @Argument(help: "The new side.") var new: SetReference
        @Flag(help: "Compare layouts only: ignore which frames pages map to.") var ignoreFrames = false
        @Flag(help: "Print only the summary line.") var summary = false
        @OptionGroup var output: OutputOptions

        func run() throws {
            let difference: TranslationSet.Difference
            do {
                difference = try compute()
            } catch {
                FileHandle.standardError.write(Data("mmu diff: \(error)\n".utf8))
                throw ExitCode(2)
            }
            try report(difference)
            if !difference.isEmpty { throw ExitCode(1) }
        }

        func compute() throws -> TranslationSet.Difference {
            var opened: [String: TranslationStore] = [:]
            let own = TranslationStore.absolutePath(store.path)
            func open(_ reference: SetReference) throws -> (String, TranslationStore) {
                let path = reference.file.map(TranslationStore.absolutePath) ?? own
                if let cached = opened[path] { return (path, cached) }
                let result = path == own ? try store.openForReading() : try TranslationStore.openUntrusted(path: path)
                opened[path] = result
                return (path, result)
            }
            let (oldPath, oldStore) = try open(old)
            let (newPath, newStore) = try open(new)
            if oldPath == newPath, old.set == new.set {
                return try oldStore.difference(of: old.set, from: old.version, to: new.version, ignoringFrames: ignoreFrames)
            }
            let before = try oldStore.translationSet(named: old.set, at: old.version)
            let after = try newStore.translationSet(named: new.set, at: new.version)
            return after.difference(from: before, ignoringFrames: ignoreFrames)
        }

        func report(_ difference: TranslationSet.Difference) throws {
            let totals = difference.summary
            if output.json {
                if !summary {
                    for change in difference.changes { try Output.jsonLine(JSONChange(change)) }
                }
                try Output.jsonLine(JSONSummary(summary: totals, same: difference.isEmpty))
                return
            }
            if !summary && !difference.isEmpty {
                print("--- \(old)\n+++ \(new)")
                print(Output.table(difference.changes.map { change in
                    [change.range.description, change.kinds.names.joined(separator: ","), Self.describe(change.old), "->", Self.describe(change.new)]
                }))
            }
            print(Self.summaryLine(totals, same: difference.isEmpty))
        }

        static func describe(_ entry: MMUEntry?) -> String {
            guard let entry else { return "(unmapped)" }
            return "\(entry.size) \(entry.protection) \(entry.physicalAddress)" + (entry.isGlobal ? " global" : "")
                + (entry.cacheMode == .writeBack ? "" : " \(entry.cacheMode.rawValue)")
        }

        static func summaryLine(_ summary: TranslationSet.Difference.Summary, same: Bool) -> String {
            guard !same else { return "no differences" }
            let parts = TranslationSet.Difference.Kinds.named.compactMap { _, name -> String? in
                guard let ranges = summary.ranges[name] else { return nil }
                return "\(name) \(ranges) (\(Output.bytes(summary.bytes[name] ?? 0)))"
            }
            return "\(summary.totalRanges) changed range\(summary.totalRanges == 1 ? "" : "s"), \(Output.bytes(summary.totalBytes)): " + parts.joined(separator: ", ")
        }

        /// One change as JSON.
        struct JSONChange: Encodable {
            let start: VirtualAddress
            let end: String
            let bytes: UInt64
            let kinds: [String]
            let old: MMUEntry?
            let new: MMUEntry?

            init(_ change: TranslationSet.Difference.Change) {
                start = change.range.start
                end = String(change.range.description.split(separator: "-").last ?? "")
                bytes = change.range.byteCount
                kinds = change.kinds.names
                old = change.old
                new = change.new
            }
        }

        /// The last JSON line.
        struct JSONSummary: Encodable {
            let summary: TranslationSet.Difference.Summary
            let same: Bool
        }
    }
}
