import ArgumentParser
import Foundation
import MMUCore
import MMUStore

extension MMUCommand {
    /// `mmu diff`: how one address space differs from another.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show how B differs from A: entries and memory areas (VMAs) added, removed or changed.",
            discussion: """
                Each side is [FILE:]SET[@SNAPSHOT|@GENERATION]. FILE defaults to the --database file; another \
                file (another run's) is opened read-only through the safe opener and never modified. Within one \
                file and one set, only the rows that changed between the two generations are read. \
                Entry changes are listed first, then memory area (VMA) changes in their own section: added, \
                removed, resized, reprotected, renamed, attributes (backing kind, shared). \
                Exit status as diff(1): 0 the same, 1 different (entries or memory areas), 2 trouble.
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "The old side.", transform: SetReference.init(parsing:)) var old: SetReference
        @Argument(help: "The new side.", transform: SetReference.init(parsing:)) var new: SetReference
        @Flag(help: "Compare layouts only: ignore which frames pages map to.") var ignoreFrames = false
        @Flag(help: "Compare entries only: ignore memory areas (VMAs); they then neither print nor count.") var ignoreAreas = false
        @Flag(help: "Print only the summary line.") var summary = false
        @OptionGroup var output: OutputOptions

        func run() throws {
            let difference: TranslationSet.Difference
            do {
                difference = try Progress.during("comparing \(old) with \(new)", compute)
            } catch {
                FileHandle.standardError.write(Data("mmu diff: \(TerminalText.escaped("\(error)", keepingLineBreaks: true))\n".utf8))
                throw ExitCode(2)
            }
            try report(difference)
            if !difference.isEmpty { throw ExitCode(1) }
        }

        func compute() throws -> TranslationSet.Difference {
            try TranslationStore.difference(
                from: old, to: new, defaultPath: store.path, ignoringFrames: ignoreFrames, ignoringAreas: ignoreAreas)
        }

        func report(_ difference: TranslationSet.Difference) throws {
            let totals = difference.summary
            if output.json {
                if !summary {
                    for change in difference.changes { try Output.jsonLine(JSONDifference.change(change)) }
                    for change in difference.areaChanges { try Output.jsonLine(JSONDifference.area(change)) }
                }
                try Output.jsonLine(JSONDifference.summary(totals, same: difference.isEmpty))
                return
            }
            if !summary && !difference.isEmpty {
                print("--- \(old)\n+++ \(new)")
                if !difference.changes.isEmpty {
                    print(Output.table(difference.changes.map { change in
                        [change.range.description, change.kinds.names.joined(separator: ","), Self.describe(change.old), "->", Self.describe(change.new)]
                    }))
                }
                if !difference.areaChanges.isEmpty {
                    print("memory areas (VMAs):")
                    print(Output.table(difference.areaChanges.map { change in
                        [change.range.description, change.kinds.names.joined(separator: ","), Self.describe(change.old), "->", Self.describe(change.new)]
                    }))
                }
            }
            print(Self.summaryLine(totals, same: difference.isEmpty))
        }

        /// An area as a diff row shows it: its whole range, protection, backing, sharing and name (escaped).
        static func describe(_ area: MemoryArea?) -> String {
            guard let area else { return "(no area)" }
            return "\(area.range) \(area.protection) \(area.kind.rawValue) \(area.isShared ? "shared" : "private")"
                + (area.name.isEmpty ? "" : " \(TerminalText.escaped(area.name))")
        }

        static func describe(_ entry: MMUEntry?) -> String {
            guard let entry else { return "(unmapped)" }
            return "\(entry.size) \(entry.protection) \(entry.physicalAddress)" + (entry.isGlobal ? " global" : "")
                + (entry.cacheMode == .writeBack ? "" : " \(entry.cacheMode.rawValue)")
        }

        static func summaryLine(_ summary: TranslationSet.Difference.Summary, same: Bool) -> String {
            guard !same else { return "no differences" }
            func counts(_ total: Int, _ bytes: UInt64, _ names: [String], _ ranges: [String: Int], _ perKind: [String: UInt64]) -> String {
                let parts = names.compactMap { name -> String? in
                    guard let count = ranges[name] else { return nil }
                    return "\(name) \(count) (\(Output.bytes(perKind[name] ?? 0)))"
                }
                return "\(total) changed range\(total == 1 ? "" : "s"), \(Output.bytes(bytes)): " + parts.joined(separator: ", ")
            }
            let entries = summary.totalRanges == 0 ? "no entry changes" : counts(
                summary.totalRanges, summary.totalBytes, TranslationSet.Difference.Kinds.named.map(\.1), summary.ranges, summary.bytes)
            guard summary.totalAreaRanges > 0 else { return entries }
            return entries + "; memory areas (VMAs): " + counts(
                summary.totalAreaRanges, summary.totalAreaBytes, TranslationSet.Difference.AreaKinds.named.map(\.1), summary.areaRanges,
                summary.areaBytes)
        }
    }
}
