import Foundation
import Testing

/// The benchmark harness's `--quick` run, so that it cannot rot: every figure the issues ask for
/// is measured, positive and finite, and each ratio has its same-run reference.
struct BenchmarkSmokeTests {
    struct Row: Decodable {
        var operation: String
        var unit: String
        var ours: [Double]
        var reference: [Double]?
        var referenceName: String?
        var target: String
    }

    @Test func theQuickRunMeasuresEveryFigure() throws {
        let process = Process()
        process.executableURL = Bundle.main.bundleURL.appendingPathComponent("mmu-bench")
        process.arguments = ["--quick", "--json"]
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "mmu-bench --quick failed: \(message)")
        let rows = try JSONDecoder().decode([Row].self, from: data)
        for row in rows {
            #expect(!row.ours.isEmpty && row.ours.allSatisfy { $0.isFinite && $0 > 0 }, "\(row.operation): \(row.ours)")
            if let reference = row.reference {
                #expect(row.referenceName != nil && reference.count == row.ours.count, "\(row.operation)")
                #expect(reference.allSatisfy { $0.isFinite && $0 > 0 }, "\(row.operation): reference \(reference)")
            }
        }
        let operations = rows.map(\.operation).joined(separator: "\n")
        for figure in [
            "bulk map", "import --entries", "snapshot on a", "read the set at a snapshot", "a 1% generation", "compaction",
            "load from the store and rebuild", "diff of a 100-change generation", "diff of a 1% generation", "per-set statistics",
            "cross-file diff", "x86_64-4level build", "x86_64-4level random translate", "ia64-vhpt-long build",
            "ia64-vhpt-long random translate", "riscv-sv57 random translate", "ppc64-hpt build", "apply a 1% transaction",
            "Foundation JSON", "simulate a", "parse a", "in-memory sets", "store floor: only the pageActivity rows",
            "against the store floor", "strace replay", "capture a live process",
            "render a", "its page in headless Chromium",
        ] {
            #expect(operations.contains(figure) || rows.contains { $0.referenceName?.contains(figure) == true }, "no figure for '\(figure)'")
        }
        #expect(rows.first { $0.operation.hasPrefix("bulk map") }?.referenceName == "C insert")
        #expect(rows.first { $0.operation.hasPrefix("import --entries") }?.referenceName == "bulk map")
        let againstFloor = rows.filter { $0.operation.hasSuffix("against the store floor") }
        #expect(againstFloor.count == 4, "stages 1-3 against the store floor: 4k and thp, each durable and grouped")
        for row in againstFloor {
            #expect(row.reference != nil && row.referenceName?.hasPrefix("store floor") == true, "\(row.operation)")
        }
    }
}
