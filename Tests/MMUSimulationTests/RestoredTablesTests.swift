import MMUArchitectures
import MMUCore
import Testing

@testable import MMUDemo
@testable import MMUSimulation
@testable import MMUTraces

/// A snapshot of a simulation on a recorded trace, restored and rebuilt into hardware tables,
/// translates every page the simulator had touched to the frame the simulator gave it.
struct RestoredTablesTests {
    @Test(arguments: [PagePolicy.fourKiB, .transparentHugePages])
    func restoredSnapshotsTranslateEveryTouchedPageToItsFrame(policy: PagePolicy) throws {
        let trace = try #require(TraceFixture.lackeyDemo.path)
        let options = SimulationOptions(
            name: "demo", pagePolicy: policy, accessesPerTransaction: 2048, snapshotInterval: 4,
            initialAreas: try TraceFixture.lackeyDemo.layout())
        let box = SetsBox()
        var simulator = try ProcessSimulator(
            options: options, commit: { name, label, body in try box.memory.commit(setName: name, label: label, body) },
            snapshot: { box.memory.snapshot($0) })
        _ = try simulator.run(try TraceReader(contentsOf: trace))
        let snapshots = box.memory.snapshots
        #expect(snapshots.count > 3)
        let x86 = try #require(PageTableFormat(named: "x86_64-4level"))
        for snapshot in [snapshots[1], snapshots[snapshots.count / 2], snapshots[snapshots.count - 1]] {
            let restored = try ProcessSimulator(
                restoring: snapshot.sets, checkpoint: snapshot.checkpoint, options: options, commit: { _, _, _ in },
                snapshot: { _ in })
            var checked = 0
            for (name, space) in restored.spaces {
                let table = try x86.makeTable(for: try #require(snapshot.sets[name]))
                for page in space.areas.areas.flatMap({ $0.range.pages }) {
                    guard let frame = space.pages.frame(at: page) else { continue }
                    let address = VirtualAddress(pageNumber: page)
                    let walked = table.translate(address, access: .read, privilege: .user).translation?.physicalAddress
                    #expect(walked == PhysicalAddress(frameNumber: frame), "\(policy) \(snapshot.label): \(address)")
                    checked += 1
                }
            }
            #expect(checked > 0, "\(policy) \(snapshot.label): no touched pages")
            if snapshot.label == "final" { #expect(checked > 500, "\(policy): only \(checked) touched pages at the end") }
        }
    }
}
