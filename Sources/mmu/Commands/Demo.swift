import ArgumentParser
import Foundation
import MMUCore
import MMUStore

extension MMUCommand {
    /// `mmu demo`: the whole story on an embedded default, for a first-time reader.
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the whole story on a built-in example: build a database, run a process, snapshot, restore, inspect.")

        @Option(help: "Where to write the demo database (default: a new temporary directory).")
        var database: String?

        func run() throws {
            let path = try database ?? Self.temporaryPath()
            print("MMUStore demo: database \(path)\n")
            let store = try TranslationStore(path: path, creatingIfMissing: true)
            let name = "demo-\(ProcessInfo.processInfo.processIdentifier)"
            try store.createSet(named: name, architecture: .x86_64FourLevel)
            print("1. A process starts: set '\(name)' (x86_64-4level) gets code, data, heap, stack and a kernel mapping.")
            let code = VirtualAddress(0x40_0000), heap = VirtualAddress(0x60_0000), stack = VirtualAddress(0x7fff_fff0_0000)
            let exec = try store.update(set: name, label: "exec") { tx in
                try tx.map(contentsOf: (0..<16).map { MMUEntry(VirtualAddress(code.rawValue + $0 * 4096), to: PhysicalAddress(0x10_0000 + $0 * 4096), protection: [.read, .execute, .user]) })
                try tx.map(contentsOf: (0..<512).map { MMUEntry(VirtualAddress(heap.rawValue + $0 * 4096), to: PhysicalAddress(0x4000_0000 + $0 * 4096), protection: [.read, .write, .user]) })
                try tx.map(contentsOf: (0..<8).map { MMUEntry(VirtualAddress(stack.rawValue + $0 * 4096), to: PhysicalAddress(0x20_0000 + $0 * 4096), protection: [.read, .write, .user]) })
                try tx.map(VirtualAddress(0xffff_ffff_8000_0000), to: PhysicalAddress(0x100_0000), size: .size2MiB, protection: [.read, .execute], attributes: .global)
            }
            print("   " + Output.commit(exec, verb: "exec"))
            try store.createSnapshot(named: "after-exec", of: name)
            print("2. Snapshot 'after-exec' names generation \(exec.generation) (O(1): one row).\n")

            print("3. The heap's 512 contiguous pages are promoted to one 2 MiB page (mksize), the code is made read-only-executable twice over, a stack page is unmapped.")
            let promote = try store.update(set: name, label: "khugepaged") { tx in
                try tx.resize(heap, to: .size2MiB)
                try tx.recordAccess(at: heap, write: true, count: 42)
            }
            print("   " + Output.commit(promote, verb: "promote"))
            let shrink = try store.update(set: name, label: "munmap stack guard") { tx in
                try tx.unmap(try VirtualRange(start: stack, byteCount: 4096))
            }
            print("   " + Output.commit(shrink, verb: "munmap"))
            print("   A bad transaction is refused and changes nothing:")
            do {
                try store.update(set: name, label: "bad") { tx in
                    try tx.map(VirtualAddress(0x40_1000), to: PhysicalAddress(0x9000), protection: .read)
                }
            } catch let error as StoreError {
                print("   refused: \(error.message)\n")
            }

            let before = try store.translationSet(named: name, at: .snapshot("after-exec"))
            let now = try store.translationSet(named: name)
            print("4. Restore: the snapshot reads back exactly as it was.")
            print("   at 'after-exec': \(before.count) entries, \(Output.bytes(before.byteCount)); now: \(now.count) entries, \(Output.bytes(now.byteCount))")
            let restored = try store.duplicateSet(named: name, as: "\(name)-restored", at: .snapshot("after-exec"))
            print("   materialized the snapshot as set '\(restored.name)' (a fork of the past).\n")

            print("5. Now (runs of consecutive pages):")
            let rows = now.entries.runs().map { run in
                ["   \(run.range)", "->", "\(run.first.physicalAddress)", "\(run.count) x \(run.first.size)", "\(run.first.protection)", MMUCommand.Show.flags(run.first)]
            }
            print(Output.table(rows))
            print("\n6. The transaction log (the audit trail):")
            for entry in try store.log(of: name) {
                print("   #\(entry.sequence) generation \(entry.generation) \(entry.label ?? ""): +\(entry.counts.entriesAdded) -\(entry.counts.entriesRemoved) entries")
            }
            let report = try store.check(deep: true)
            print("\n7. mmu check --deep: \(report.isSound ? "ok" : report.problems.joined(separator: "; "))")
            print("\nExplore it yourself:\n   mmu show -d \(path) \(name)@after-exec\n   sqlite3 \(path) 'SELECT * FROM transactionLog'")
        }

        static func temporaryPath() throws -> String {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-demo-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return directory.appendingPathComponent("demo.sqlite").path
        }
    }
}
