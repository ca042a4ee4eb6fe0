import MMUCore
import Testing

@testable import MMUSimulation
@testable import MMUTraces

/// A restored simulation never sends the events of an unnamed process (a lackey trace without
/// its `==PID==` banner) into a new set while the resumed set stays behind.
struct UnnamedProcessTests {
    static let options = SimulationOptions(
        physicalMemorySize: 64 << 20,
        initialAreas: [MemoryArea(range: VirtualRange(pages: 0x400..<0x410), protection: [.read, .write, .user], kind: .anonymous)])

    /// The sets and checkpoint after a lackey trace of process 7 touched two pages.
    func snapshotOfProcess7() throws -> InMemorySets.Snapshot {
        let box = SetsBox()
        var simulator = try ProcessSimulator(
            options: Self.options, commit: { name, label, body in try box.memory.commit(setName: name, label: label, body) },
            snapshot: { box.memory.snapshot($0) })
        _ = try simulator.run(try TraceReader(text: "==7== Lackey\n L 00400000,8\n S 00401000,8\n", name: "first.lackey"))
        return try #require(box.memory.snapshots.last)
    }

    func resume(_ snapshot: InMemorySets.Snapshot, with text: String, options: TraceParsingOptions) throws -> (SimulationReport, SetsBox) {
        let box = SetsBox()
        box.memory = InMemorySets(sets: snapshot.sets)
        var simulator = try ProcessSimulator(
            restoring: snapshot.sets, checkpoint: snapshot.checkpoint, options: Self.options,
            commit: { name, label, body in try box.memory.commit(setName: name, label: label, body) },
            snapshot: { box.memory.snapshot($0) })
        let report = try simulator.run(try TraceReader(text: text, name: "rest.lackey", format: .lackey, options: options))
        return (report, box)
    }

    @Test func aRestoredRunRefusesAnUnnamedProcessNamingTheSet() throws {
        let snapshot = try snapshotOfProcess7()
        #expect(snapshot.sets.keys.sorted() == ["sim-7"])
        #expect {
            _ = try resume(snapshot, with: " L 00402000,8\n", options: TraceParsingOptions())
        } throws: { error in
            guard case .unnamedProcess(let set, let line) = error as? SimulationError else { return false }
            return set == "sim-7" && line == 1 && "\(error)".contains("'sim-7'") && "\(error)".contains("==PID==")
        }
    }

    @Test func theProcessGivenForUnnamedLinesContinuesItsSet() throws {
        let snapshot = try snapshotOfProcess7()
        let (report, box) = try resume(snapshot, with: " L 00402000,8\n", options: TraceParsingOptions(processID: 7))
        #expect(report.setNames == ["sim-7"])
        #expect(box.memory.sets.keys.sorted() == ["sim-7"])
        #expect(box.memory.sets["sim-7"]?.entries.count == 3)
    }

    @Test func aFreshRunStillTakesAnUnnamedProcessAsItsFirst() throws {
        let box = SetsBox()
        var simulator = try ProcessSimulator(
            options: Self.options, commit: { name, label, body in try box.memory.commit(setName: name, label: label, body) },
            snapshot: { box.memory.snapshot($0) })
        let report = try simulator.run(try TraceReader(text: " L 00400000,8\n", name: "bare.lackey", format: .lackey))
        #expect(report.setNames == ["sim"])
    }
}
