import Foundation
import Testing

/// Every shipped trace, replayed by `mmu simulate` under both page policies, writes exactly what
/// the replay wrote before it was made faster: the same transaction log (labels, operation
/// counts, content digests of every generation), the same entries and areas with their whole
/// history, the same counters and access bits at the head and at every snapshot, the same
/// snapshots and the same report. The expected digests are ``ReplayDigests/recorded``.
struct ReplayIdentityTests {
    /// One replay: a shipped trace, the options it runs with, and a name for its digests.
    struct Replay: CustomTestStringConvertible, Sendable {
        let name: String
        let trace: String
        let arguments: [String]

        var testDescription: String { name }
    }

    static let replays: [Replay] = {
        var replays: [Replay] = []
        for policy in ["4k", "thp"] {
            for trace in ["ls.strace", "python-fork.strace", "sh-memory.strace"] {
                replays.append(Replay(name: "\(trace) \(policy)", trace: trace, arguments: ["--policy", policy, "--snapshot-every", "4"]))
            }
            let layout = ["--layout", "lackey-demo.maps", "--policy", policy]
            replays.append(Replay(name: "lackey-demo.lackey \(policy)", trace: "lackey-demo.lackey", arguments: layout))
            replays.append(
                Replay(
                    name: "lackey-demo.lackey \(policy) batch 1000", trace: "lackey-demo.lackey",
                    arguments: layout + ["--batch", "1000", "--snapshot-every", "7"]))
        }
        return replays
    }()

    /// What is compared, one digest each: every column except times and hash chains (which
    /// hold times), rows in key order, snapshots by set and name.
    static let sections: [(name: String, sql: String)] = [
        ("log", """
            SELECT t.name, l.generation, l.globalGeneration, l.label, l.maps, l.unmaps, l.protects, l.resizes, l.globals,
                l.copies, l.accesses, l.areas, l.entriesAdded, l.entriesRemoved, l.digest, l.globalDigest
            FROM transactionLog l JOIN translationSet t ON t.id = l.setId ORDER BY l.sequence
            """),
        ("sets", "SELECT name, architecture, headGeneration, compactedThrough, headDigest, storedRows, stateDigest FROM translationSet ORDER BY name"),
        ("entries", """
            SELECT t.name, e.vpn, e.born, e.died, e.pfn, e.pageShift, e.protection, e.cacheMode
            FROM mmuEntry e JOIN translationSet t ON t.id = e.setId ORDER BY t.name, e.vpn, e.born
            """),
        ("areas", """
            SELECT t.name, a.vpn, a.born, a.died, a.pageCount, a.protection, a.kind, a.isShared, a.name
            FROM memoryArea a JOIN translationSet t ON t.id = a.setId ORDER BY t.name, a.vpn, a.born
            """),
        ("counters", """
            SELECT t.name, a.vpn, a.accesses, a.writes, a.faults, a.firstGeneration, a.lastGeneration
            FROM pageActivity a JOIN translationSet t ON t.id = a.setId ORDER BY t.name, a.vpn
            """),
        ("bits", "SELECT t.name, s.vpn, s.accessed, s.dirty FROM entryState s JOIN translationSet t ON t.id = s.setId ORDER BY t.name, s.vpn"),
        ("snapshots", """
            SELECT t.name, s.name, s.generation, s.globalGeneration, s.metadata
            FROM snapshot s JOIN translationSet t ON t.id = s.setId ORDER BY t.name, s.name
            """),
        ("snapshot counters", """
            SELECT t.name, s.name, a.vpn, a.accesses, a.writes, a.faults, a.firstGeneration, a.lastGeneration
            FROM snapshotPageActivity a JOIN snapshot s ON s.id = a.snapshotId JOIN translationSet t ON t.id = s.setId
            ORDER BY t.name, s.name, a.vpn
            """),
        ("snapshot bits", """
            SELECT t.name, s.name, b.vpn, b.accessed, b.dirty
            FROM snapshotEntryState b JOIN snapshot s ON s.id = b.snapshotId JOIN translationSet t ON t.id = s.setId
            ORDER BY t.name, s.name, b.vpn
            """),
    ]

    /// FNV-1a, 64 bits: a stable digest of a section's text.
    static func digest(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }

    /// The digests of a replay's sections and of its `--json` report, with row counts, keyed
    /// `REPLAY: SECTION`.
    static func digests(of replay: Replay, extraArguments: [String] = []) throws -> [String: String] {
        let runner = try ToolRunner()
        for name in [replay.trace, "lackey-demo.maps"] {
            try FileManager.default.copyItem(
                at: CommandLineTests.fixtures.appendingPathComponent(name), to: runner.directory.appendingPathComponent(name))
        }
        try runner.succeed(["init"])
        let report = try runner.succeed(["simulate", replay.trace, "--name", "run", "--json"] + replay.arguments + extraArguments)
        var result = ["\(replay.name): report": digest(report)]
        for section in sections {
            let rows = try runner.succeed(["sql", section.sql, "--csv"])
            let count = rows.split(separator: "\n").count - 1
            result["\(replay.name): \(section.name)"] = "\(count) rows \(digest(rows))"
        }
        return result
    }

    /// The table of `found` as Swift source, to paste into ``ReplayDigests/recorded`` when a
    /// change of results is meant.
    static func source(_ found: [String: String]) -> String {
        found.keys.sorted().map { "        \"\($0)\": \"\(found[$0] ?? "")\"," }.joined(separator: "\n")
    }

    @Test(arguments: replays)
    func aReplayWritesWhatTheRecordedReplayWrote(_ replay: Replay) throws {
        try expectRecorded(replay)
    }

    /// Group commit changes when transactions become durable, never what they write.
    @Test(arguments: replays.filter { $0.name.hasSuffix("thp") || $0.name.hasSuffix("batch 1000") })
    func aReplayInGroupsOfCommitsWritesWhatTheRecordedReplayWrote(_ replay: Replay) throws {
        try expectRecorded(replay, extraArguments: ["--group-commit", "5"])
    }

    func expectRecorded(_ replay: Replay, extraArguments: [String] = []) throws {
        let found = try Self.digests(of: replay, extraArguments: extraArguments)
        let expected = ReplayDigests.recorded.filter { $0.key.hasPrefix("\(replay.name): ") }
        #expect(expected.count == Self.sections.count + 1, "no recorded digests for \(replay.name)")
        for key in found.keys.sorted() {
            #expect(found[key] == expected[key], "\(key) differs from the recorded replay")
        }
        if found != expected {
            Issue.record("the digests found, as ReplayDigests.swift lines:\n\(Self.source(found))")
        }
    }
}
