// Measures how fast MMUSimulation replays a lackey trace on in-memory translation sets.
//
//   simulate-bench [--accesses N] [--trace PATH --layout PATH] [--policy 4k|thp] [--batch N] [--runs N] [--report]
//
// Without --trace it writes a synthetic lackey trace of N accesses (default 1,000,000) to a
// temporary file, with its layout: instruction fetches looping over a 1 MiB text area, loads
// and stores over a 64 MiB heap (a hot 1 MiB part takes half of them, the rest spread out so
// that 2 MiB regions fill and get promoted under thp), and stack traffic. Each run reads the
// trace file again (parsing is part of the measurement) and reports the median and range.
// A parse-only pass is measured too, to separate parsing from simulation.
import Foundation
import MMUCapture
import MMUCore
import MMUSimulation
import MMUTraces

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}
let accessCount = Int(option("--accesses") ?? "") ?? 1_000_000
let policy = PagePolicy(rawValue: option("--policy") ?? "4k") ?? .fourKiB
let batch = Int(option("--batch") ?? "") ?? 4096
let runs = Int(option("--runs") ?? "") ?? 5

struct Generator {
    var state: UInt64 = 0x5EED
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func writeSyntheticTrace(accesses: Int) throws -> (trace: String, layout: String) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simulate-bench")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let trace = directory.appendingPathComponent("synthetic-\(accesses).lackey").path
    let layout = directory.appendingPathComponent("synthetic.maps").path
    try """
        00400000-00500000 r-xp 00000000 fe:00 1 /usr/bin/synthetic
        01000000-05000000 rw-p 00000000 00:00 0 [heap]
        7fff00000000-7fff00800000 rw-p 00000000 00:00 0 [stack]

        """.write(toFile: layout, atomically: true, encoding: .utf8)
    if FileManager.default.fileExists(atPath: trace) { return (trace, layout) }
    var generator = Generator()
    var text = "==1== Lackey, synthetic trace for simulate-bench\n"
    text.reserveCapacity(accesses * 20)
    var pc: UInt64 = 0x400000
    var sweep: UInt64 = 0x1000000
    for index in 0..<accesses {
        let roll = generator.next()
        switch roll % 10 {
        case 0..<5:
            pc = roll % 64 == 0 ? 0x400000 + (generator.next() % 0x100000) & ~3 : pc + 4
            if pc >= 0x4ffff0 { pc = 0x400000 }
            text += "I  \(String(pc, radix: 16)),4\n"
        case 5..<7:
            let address = 0x1000000 + generator.next() % 0x100000
            text += (roll % 3 == 0 ? " S " : " L ") + "\(String(address, radix: 16)),8\n"
        case 7..<9:
            sweep += 64
            if sweep >= 0x5000000 { sweep = 0x1000000 + UInt64(index % 7) * 0x1000 }
            text += (roll % 2 == 0 ? " M " : " L ") + "\(String(sweep, radix: 16)),8\n"
        default:
            let address = 0x7fff007f0000 + generator.next() % 0x10000
            text += " S \(String(address, radix: 16)),8\n"
        }
    }
    try text.write(toFile: trace, atomically: true, encoding: .utf8)
    return (trace, layout)
}

let (tracePath, layoutPath): (String, String)
if let given = option("--trace") {
    (tracePath, layoutPath) = (given, option("--layout") ?? "")
} else {
    (tracePath, layoutPath) = try writeSyntheticTrace(accesses: accessCount)
}
let layout = layoutPath.isEmpty
    ? [] : try ProcessMaps(parsing: String(contentsOfFile: layoutPath, encoding: .utf8), source: layoutPath).areas

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
let clock = ContinuousClock()

var parseSeconds: [Double] = []
var lines = 0
for _ in 0..<runs {
    let start = clock.now
    let reader = try TraceReader(contentsOf: tracePath)
    while try reader.next() != nil {}
    lines = reader.statistics.lines
    let elapsed = clock.now - start
    parseSeconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
}

var simulateSeconds: [Double] = []
var last = SimulationReport()
for _ in 0..<runs {
    var sets = InMemorySets(architecture: .x86_64FourLevel)
    var simulator = try ProcessSimulator(
        options: SimulationOptions(pagePolicy: policy, accessesPerTransaction: batch, initialAreas: layout),
        commit: { name, label, body in try sets.commit(setName: name, label: label, body) },
        snapshot: { sets.snapshot($0) })
    let start = clock.now
    last = try simulator.run(try TraceReader(contentsOf: tracePath))
    let elapsed = clock.now - start
    simulateSeconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
}

let accesses = Double(last.events)
func rate(_ seconds: Double) -> String { String(format: "%.2fM accesses/s", accesses / seconds / 1e6) }
print("trace: \(tracePath) (\(lines) lines, \(last.events) events), policy \(policy.rawValue), batch \(batch), \(runs) runs")
print(
    String(
        format: "parse only:      median %.3f s (%.3f–%.3f) = %@", median(parseSeconds), parseSeconds.min() ?? 0,
        parseSeconds.max() ?? 0, rate(median(parseSeconds))))
print(
    String(
        format: "parse+simulate:  median %.3f s (%.3f–%.3f) = %@", median(simulateSeconds), simulateSeconds.min() ?? 0,
        simulateSeconds.max() ?? 0, rate(median(simulateSeconds))))
if arguments.contains("--report") {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    print(String(decoding: try encoder.encode(last), as: UTF8.self))
}
print(
    "transactions \(last.transactions), demand faults \(last.demandFaults), invalid \(last.invalidAccesses), "
        + "promotions \(last.promotions), resident pages \(last.residentPages)")
