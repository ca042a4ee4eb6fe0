import Foundation
import MMUTestSupport

/// A directory of small run files made with the `mmu` command, for the runs lake's tests: mixed
/// sets (some with 2 MiB pages and a global kernel page), snapshots, history (unmapped and
/// reprotected entries), page counters and memory areas, from simulated traces or from commands.
struct GeneratedRuns {
    /// The directory holding `run-NN.sqlite` and `labels.csv`.
    let directory: URL
    /// The run files, in order.
    let files: [URL]
    /// The labels file for `mmu-lake add --labels`: run, workload, policy.
    let labels: URL

    static let fixtures = PythonEnvironment.packageRoot.appendingPathComponent("Sources/MMUDemo/Fixtures")

    /// Makes `count` runs in a new directory under the runner's.
    init(count: Int, runner: ToolRunner) throws {
        directory = runner.directory.appendingPathComponent("runs")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var files: [URL] = [], labelLines = ["run,workload,policy"]
        for index in 0..<count {
            let name = String(format: "run-%02d", index)
            let file = directory.appendingPathComponent("\(name).sqlite")
            let (workload, policy) = try Self.make(index, at: file.path, runner: runner)
            files.append(file)
            labelLines.append("\(name),\(workload),\(policy)")
        }
        self.files = files
        labels = directory.appendingPathComponent("labels.csv")
        try Data((labelLines.joined(separator: "\n") + "\n").utf8).write(to: labels)
    }

    /// Makes run `index` in `path`; returns its workload and policy labels.
    private static func make(_ index: Int, at path: String, runner: ToolRunner) throws -> (String, String) {
        func mmu(_ arguments: [String], input: String? = nil) throws {
            try runner.succeed(arguments + ["--database", path], input: input)
        }
        try mmu(["init"])
        switch index % 4 {
        case 0:
            let lackey = fixtures.appendingPathComponent("lackey-demo.lackey").path
            let layout = fixtures.appendingPathComponent("lackey-demo.maps").path
            try mmu(["simulate", lackey, "--layout", layout, "--name", "s", "--snapshot-every", String(4 + index % 3)])
            return ("lackey", "4k")
        case 1:
            let traces = ["sh-memory.strace"] + (index % 8 == 1 ? ["python-fork.strace"] : [])
            let policy = index % 8 == 1 ? "thp" : "4k"
            try mmu(["simulate"] + traces.map { fixtures.appendingPathComponent($0).path } + ["--name", "m", "--policy", policy])
            return ("strace", policy)
        default:
            let pages = 16 + index * 8
            try mmu(["sets", "create", "p"])
            try mmu(["sets", "create", "q", "--architecture", "x86_64-4level"])
            try mmu(["map", "p", "0x400000", String(format: "0x%x", 0x100000 * (index + 1)), "--count", String(pages), "-p", "r-xu", "--label", "text"])
            try mmu(["map", "p", "0x600000", "0x40000000", "--count", "512", "-p", "rw-u"])
            try mmu(["resize", "p", "0x600000", "2M"])
            try mmu(["map", "p", "0xffff800000000000", "0x80000000", "-s", "2M", "-p", "rw--", "--global"])
            try mmu(["snapshot", "p", "base"])
            try mmu(["apply", "p"], input: """
                {"op":"access","va":"0x400000","write":true,"count":\(index + 1)}
                {"op":"access","va":"0x401000","count":\(2 * index + 1)}
                {"op":"fault","va":"0x402000"}
                {"op":"protect","va":"0x403000","length":"0x2000","protection":"r--u"}
                {"op":"unmap","va":"0x405000","length":"0x1000"}
                """)
            try mmu(["map", "q", "0x7f0000000000", "0x9000000", "--count", String(index), "-p", "rw-u"])
            try mmu(["snapshot", "q", "end"])
            return ("commands", index % 3 == 0 ? "thp" : "4k")
        }
    }
}
