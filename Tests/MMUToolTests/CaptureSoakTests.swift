import Foundation
import Testing

/// The capture-race soak, short: targets killed during their capture are never committed half read.
struct CaptureSoakTests {
    func soak(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = Bundle.main.bundleURL.appendingPathComponent("mmu-capture-soak")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    /// 320 MiB: 81,920 pages, so the area takes two pagemap reads (64 Ki pages each). Half of
    /// the kills come during the pagemap read: some captures must be refused there, or the soak
    /// would not reach the race it exists for.
    @Test func twentyKillsDuringCapturesCommitOnlyWholeCaptures() throws {
        let (status, output) = try soak(["--kills", "20", "--megabytes", "320", "--seconds", "300", "--seed", "13"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("20 kills in") && output.contains(", 0 violations"), "\(output)")
        #expect(output.contains("exited during pagemap"), "no kill landed during the pagemap read: \(output)")
    }

    @Test func theSoakCatchesACaptureMissingAPage() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("capture-soak-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("soak.sqlite").path
        let (status, output) = try soak(["--kills", "1", "--megabytes", "16", "--seed", "13", "--plant-truncation", "--database", store])
        #expect(status == 1, "\(output)")
        #expect(output.contains("stopped target: 4095 of the area's 4096 present pages stored"), "\(output)")
    }
}
