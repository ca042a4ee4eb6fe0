import ArgumentParser
import Foundation
import MMUArchitectures
import MMUCore
import MMUStore

extension MMUCommand.Import {
    /// `--dump FILE`: walks the page tables of a guest memory dump and commits every present
    /// translation as one transaction, then says what the walk could not store.
    func importDump(_ path: String) throws {
        let walk: DumpWalk
        do {
            let dump = try PhysicalMemoryDump(openingForReading: path)
            let progress = Progress.onTerminal
            walk = try dump.walkX86(dumpOptions.request) { tables, translations in
                progress?.show("walking the tables of \(path): \(tables) table pages, \(translations) translations")
            }
            progress?.clear()
        } catch {
            throw CommandFailure("\(TerminalText.escaped(path)): \(error); nothing was imported")
        }
        let opened = try store.open()
        let shared = Set(try opened.translationSet(named: TranslationStore.globalSetName).entries.map(\.withoutAccessState))
        let fresh = walk.entries.filter { !($0.isGlobal && shared.contains($0.withoutAccessState)) }
        let commit: Commit
        do {
            commit = try Progress.during("writing \(Output.count(fresh.count, "entry", "entries")) to set '\(set)'") {
                try opened.update(set: set, label: label ?? "import \(path)", creating: .init(architecture: architecture?.architecture ?? walk.format.architecture)) { tx in
                    try tx.map(contentsOf: fresh, replacing: replace)
                }
            }
        } catch let error as StoreError {
            throw CommandFailure("\(TerminalText.escaped(path)): \(error.message); nothing was imported")
        }
        if output.json {
            try Output.jsonLine(JSONDumpImport(commit: commit, walk: walk, skippedShared: walk.entries.count - fresh.count))
            return
        }
        let skipped = walk.entries.count - fresh.count
        print(Output.commit(commit, verb: "imported \(Output.count(fresh.count, "entry", "entries"))" + (skipped > 0 ? " (\(Output.count(skipped, "global entry", "global entries")) already shared)" : "")))
        let registers = ["cr3", "cr0", "cr4", "efer", "pat"].map { name in
            "\(name) 0x\(String(walk.registers[name] ?? 0, radix: 16))" + (walk.assumedRegisters.contains(name) ? " (assumed)" : "")
        }
        print("walked \(walk.format.name) tables: \(Output.count(walk.tablesRead, "table page")) read, \(Output.count(walk.entries.count, "translation")); \(registers.joined(separator: ", "))")
        for finding in walk.findings {
            print("\(finding.count) \(finding.kind.summary), e.g. \(finding.examples.map { TerminalText.escaped($0) }.joined(separator: "; "))")
        }
    }
}

/// `mmu import --dump --json`: the commit, the walk and its findings.
struct JSONDumpImport: Encodable {
    let commit: JSONCommit
    let format: String
    let registers: [String: String]
    let assumedRegisters: [String]
    let tablesRead: Int
    let translations: Int
    let skippedShared: Int
    let findings: [Finding]

    struct Finding: Encodable {
        let kind: String
        let count: Int
        let stored: Bool
        let examples: [String]
    }

    init(commit: Commit, walk: DumpWalk, skippedShared: Int) {
        self.commit = JSONCommit(commit)
        format = walk.format.name
        registers = walk.registers.mapValues { "0x" + String($0, radix: 16) }
        assumedRegisters = walk.assumedRegisters
        tablesRead = walk.tablesRead
        translations = walk.entries.count
        self.skippedShared = skippedShared
        findings = walk.findings.map { Finding(kind: $0.kind.rawValue, count: $0.count, stored: $0.kind.isStored, examples: $0.examples) }
    }
}
