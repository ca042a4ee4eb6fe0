import Foundation
import Testing

/// Resuming a simulation from a snapshot, in place or into copies, ends where the uninterrupted
/// run ends: the same entries, areas, access bits and per-page counters.
struct SimulationResumeTests {
    static let fixtures = CommandLineTests.fixtures
    static let lackey = fixtures.appendingPathComponent("lackey-demo.lackey").path
    static let layout = fixtures.appendingPathComponent("lackey-demo.maps").path
    static let fork = fixtures.appendingPathComponent("python-fork.strace").path

    /// The fixture trace after the last line that the snapshot `snapshot` of `set` simulated (from
    /// the label of the transaction it names), after a copy of the trace's `==PID==` banner line
    /// unless `banner` is false (then without any `==PID==` line).
    static func rest(after snapshot: String, of set: String, banner: Bool = true, into runner: ToolRunner) throws -> String {
        let label = try runner.succeed([
            "sql",
            """
            SELECT label FROM transactionHistory WHERE setName = '\(set)' AND generation =
                (SELECT generation FROM snapshotList WHERE setName = '\(set)' AND snapshot = '\(snapshot)')
            """,
            "--csv",
        ])
        let lastField = label.split(separator: "-").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let last = try #require(lastField.flatMap { Int($0) }, "\(label)")
        let all = try String(contentsOfFile: lackey, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let rest = runner.directory.appendingPathComponent(banner ? "rest.lackey" : "bare.lackey")
        try Data(((banner ? [all[0]] : []) + all[last...].filter { banner || !$0.hasPrefix("==") }).joined(separator: "\n").utf8).write(to: rest)
        return rest.path
    }

    /// Every per-page counter of a set, its access bits and its entries, as CSV text.
    static func state(of set: String, _ runner: ToolRunner) throws -> (counters: String, bits: String) {
        let counters = try runner.succeed([
            "sql", "SELECT virtualAddress, accesses, writes, faults FROM pageHeat WHERE setName = '\(set)' ORDER BY vpn", "--csv",
        ])
        let bits = try runner.succeed([
            "sql", "SELECT virtualAddress, physicalAddress, protection, accessed, dirty FROM liveEntry WHERE setName = '\(set)' ORDER BY vpn",
            "--csv",
        ])
        return (counters, bits)
    }

    static func expectSame(_ set: String, as reference: String, _ runner: ToolRunner, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = try state(of: reference, runner), found = try state(of: set, runner)
        #expect(found.counters == expected.counters, "page counters of \(set) differ from \(reference)", sourceLocation: sourceLocation)
        #expect(found.bits == expected.bits, "entries or access bits of \(set) differ from \(reference)", sourceLocation: sourceLocation)
        let difference = try runner.run(["diff", reference, set])
        #expect(difference.status == 0, "\(difference.output)", sourceLocation: sourceLocation)
        let areas = try runner.succeed(["show", set, "--areas"]).split(separator: "\n").dropFirst()
        let expectedAreas = try runner.succeed(["show", reference, "--areas"]).split(separator: "\n").dropFirst()
        #expect(areas == expectedAreas, sourceLocation: sourceLocation)
    }

    @Test func aResumeInPlaceOrIntoACopyCountsAsTheUninterruptedRun() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try runner.succeed(["simulate", Self.lackey, "--layout", Self.layout, "--name", "reference"])
        try runner.succeed(["simulate", Self.lackey, "--layout", Self.layout, "--name", "run", "--snapshot-every", "4"])
        let page = "SELECT accesses, faults FROM pageHeat WHERE setName = 'reference-9376' AND virtualAddress = '0x0000000000401000'"
        #expect(try runner.succeed(["sql", page, "--csv"]) == "accesses,faults\n8224,1\n")
        try Self.expectSame("run-9376", as: "reference-9376", runner)
        let rest = try Self.rest(after: "tx 8", of: "run-9376", into: runner)

        try runner.succeed(["simulate", rest, "--from", "run-9376@tx 8", "--name", "copy"])
        try Self.expectSame("copy-9376", as: "reference-9376", runner)

        try runner.succeed(["simulate", rest, "--from", "run-9376@tx 8"])
        try Self.expectSame("run-9376", as: "reference-9376", runner)
        try runner.succeed(["simulate", rest, "--from", "run-9376@tx 8"])
        try Self.expectSame("run-9376", as: "reference-9376", runner)
        #expect(try runner.succeed(["check", "--deep"]).contains("ok"))
    }

    /// The transactions of a set of the simulation `simulation` as the log shows them, without
    /// sequence numbers and times, and with the simulation's name in labels (`fork of NAME`) as `NAME`.
    static func history(of set: String, in simulation: String, _ runner: ToolRunner) throws -> [String] {
        try runner.succeed(["sql", "SELECT generation, label, maps, unmaps, areas FROM transactionHistory WHERE setName = '\(set)' ORDER BY generation", "--csv"])
            .replacingOccurrences(of: "fork of \(simulation)", with: "fork of NAME").split(separator: "\n").map(String.init)
    }

    @Test func aResumeInPlaceRemovesTheSetsCreatedAfterTheSnapshot() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try runner.succeed(["simulate", Self.fork, "--name", "reference"])
        try runner.succeed(["simulate", Self.fork, "--name", "run", "--snapshot-every", "10"])
        // 'tx 40' is the parent's 40th transaction, the shared mmap on line 43 just before the
        // clone of line 44 that creates run-9364; the rest of the trace starts at the clone.
        let snapshotLabel = try runner.succeed([
            "sql", "SELECT label FROM transactionHistory WHERE setName = 'run' AND generation = 39", "--csv",
        ])
        #expect(snapshotLabel.contains("mmap 0x7fc74f47c000-0x7fc74f87c000"), "\(snapshotLabel)")
        let lines = try String(contentsOfFile: Self.fork, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[43].hasPrefix("clone("))
        let rest = runner.directory.appendingPathComponent("rest.strace")
        try Data(lines[43...].joined(separator: "\n").utf8).write(to: rest)

        for _ in 0..<2 {
            let resumed = try runner.run(["simulate", rest.path, "--from", "run@tx 40"])
            #expect(resumed.status == 0, "\(resumed.error)")
            #expect(resumed.error.contains("deleted set 'run-9364', created after snapshot 'tx 40'"), "\(resumed.error)")
            #expect(resumed.output.contains("sets: run, run-9364\n"), "\(resumed.output)")
            try Self.expectSame("run", as: "reference", runner)
            try Self.expectSame("run-9364", as: "reference-9364", runner)
            // The child's set is the uninterrupted run's, history included: made once by the
            // fork, not continued from what the interrupted run left.
            #expect(try Self.history(of: "run-9364", in: "run", runner) == Self.history(of: "reference-9364", in: "reference", runner))
            let snapshots = try runner.succeed(["sql", "SELECT snapshot FROM snapshotList WHERE setName = 'run-9364'", "--csv"])
            #expect(snapshots == "snapshot\nfinal\n", "\(snapshots)")
        }
        // A copy resumed from the same snapshot makes its own child, and deletes nothing.
        let copied = try runner.run(["simulate", rest.path, "--from", "run@tx 40", "--name", "copy"])
        #expect(copied.status == 0 && !copied.error.contains("deleted"), "\(copied.error)")
        try Self.expectSame("copy-9364", as: "reference-9364", runner)
        #expect(try Self.history(of: "copy-9364", in: "copy", runner) == Self.history(of: "reference-9364", in: "reference", runner))
        #expect(try runner.succeed(["check", "--deep"]).contains("ok"))
    }

    @Test func aResumedTraceWithoutItsBannerContinuesTheResumedSet() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try runner.succeed(["simulate", Self.lackey, "--layout", Self.layout, "--name", "reference"])
        try runner.succeed(["simulate", Self.lackey, "--layout", Self.layout, "--name", "run", "--snapshot-every", "4"])
        let bare = try Self.rest(after: "tx 8", of: "run-9376", banner: false, into: runner)
        #expect(try !String(contentsOfFile: bare, encoding: .utf8).contains("==9376=="))

        let copied = try runner.succeed(["simulate", bare, "--from", "run-9376@tx 8", "--name", "copy"])
        #expect(copied.contains("sets: copy-9376\n"), "\(copied)")
        try Self.expectSame("copy-9376", as: "reference-9376", runner)
        let resumed = try runner.succeed(["simulate", bare, "--from", "run-9376@tx 8"])
        #expect(resumed.contains("sets: run-9376\n"), "\(resumed)")
        try Self.expectSame("run-9376", as: "reference-9376", runner)
        let sets = try runner.succeed(["sets"])
        #expect(!sets.contains("run ") && !sets.contains("copy "), "\(sets)")
    }

    @Test func snapshotsRecordTheirTracePositionAndAWholeTraceResumesFromIt() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try runner.succeed(["simulate", Self.lackey, "--layout", Self.layout, "--name", "reference"])
        try runner.succeed(["simulate", Self.lackey, "--layout", Self.layout, "--name", "run", "--snapshot-every", "4"])
        try runner.succeed(["snapshot", "run-9376", "by-hand"])
        let listed = try runner.succeed(["snapshots", "run-9376"])
        #expect(listed.contains("lackey-demo.lackey:28678 (byte 404580)"), "\(listed)")
        let lines = try runner.succeed(["snapshots", "run-9376", "--json"]).split(separator: "\n")
        let byName = try Dictionary(uniqueKeysWithValues: lines.map { line -> (String, [String: Any]) in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return (try #require(object["name"] as? String), object)
        })
        let trace = try #require(byName["tx 8"]?["trace"] as? [String: Any])
        #expect(trace["line"] as? Int == 28678)
        #expect(trace["byteOffset"] as? Int == 404580)
        #expect((trace["file"] as? String)?.hasSuffix("lackey-demo.lackey") == true)
        #expect(byName["by-hand"]?["trace"] is NSNull)
        #expect(byName["by-hand"]?["metadata"] is NSNull)

        // The whole trace, into a copy and in place (twice): read on from the snapshot's line.
        let copied = try runner.run(["simulate", Self.lackey, "--from", "run-9376@tx 8", "--name", "copy"])
        #expect(copied.status == 0)
        #expect(copied.error.contains("resumed at the position of snapshot 'tx 8'") && copied.error.contains("after line 28678"), "\(copied.error)")
        #expect(copied.output.contains("simulated 27117 trace lines"), "\(copied.output)")
        try Self.expectSame("copy-9376", as: "reference-9376", runner)
        for _ in 0..<2 {
            try runner.succeed(["simulate", Self.lackey, "--from", "run-9376@tx 8"])
            try Self.expectSame("run-9376", as: "reference-9376", runner)
        }

        // A trace changed before the position does not hold it: taken as what follows, and said so.
        var changed = try Data(contentsOf: URL(fileURLWithPath: Self.lackey))
        changed[404_580 - 10] = UInt8(ascii: "Z")
        let other = runner.directory.appendingPathComponent("changed.lackey")
        try changed.write(to: other)
        let cut = try Self.rest(after: "tx 8", of: "run-9376", into: runner)
        let continued = try runner.run(["simulate", cut, "--from", "run-9376@tx 8", "--name", "cut"])
        #expect(continued.status == 0)
        #expect(continued.error.contains("no trace given holds the position of snapshot 'tx 8'"), "\(continued.error)")
        try Self.expectSame("cut-9376", as: "reference-9376", runner)
        let twice = try runner.run(["simulate", Self.lackey, Self.lackey, "--from", "run-9376@tx 8", "--name", "twice"])
        #expect(twice.status == 1)
        #expect(twice.error.contains("give the trace once"), "\(twice.error)")
        let notHeld = try runner.run(["simulate", other.path, "--from", "run-9376@tx 8", "--name", "other", "--skip-bad-lines"])
        #expect(notHeld.error.contains("no trace given holds the position"), "\(notHeld.error)")
    }
}
