import Foundation
import MMUDemo
import MMUSimulation
import MMUTraces

extension DocumentationExamples {
    /// Sources/MMUSimulation/MMUSimulation.docc/MMUSimulation.md, on the shipped `ls` trace.
    static func mmuSimulation() throws {
        guard let fixture = TraceFixture.listing.path else { throw ExampleError("the MMUSimulation resources are missing") }
        try FileManager.default.copyItem(atPath: fixture, toPath: "ls.strace")
        // example mmusimulation begins
        let reader = try TraceReader(contentsOf: "ls.strace")
        var sets = InMemorySets()
        var simulator = try ProcessSimulator(
            options: SimulationOptions(pagePolicy: .transparentHugePages, snapshotInterval: 1000),
            commit: { name, label, body in try sets.commit(setName: name, label: label, body) },
            snapshot: { sets.snapshot($0) })
        let report = try simulator.run(reader) { progress in /* lines/s, transactions, pages */ }
        // example ends
        print("\(report)")
        print("sets: \(sets.sets.keys.sorted().joined(separator: ", "))")
    }
}
