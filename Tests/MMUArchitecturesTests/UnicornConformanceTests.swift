import Foundation
import MMUArchitectures
import MMUCore
import MMUTestSupport
import Testing

/// Conformance against a real MMU: Unicorn 2.1.4's own page walkers (QEMU 5.0 code) translate
/// sampled addresses of an exported image through tools/oracle/unicorn_oracle.py, and every
/// answer must equal what `translate` gives.
struct UnicornConformanceTests {
    /// The radix formats Unicorn can walk.
    static let formats = PageTableFormat.all.filter(\.isRadix)

    /// The oracle script, run by the tests' pinned Python environment (tools/python/requirements.txt).
    static let oracle = PythonEnvironment.packageRoot.appendingPathComponent("tools/oracle/unicorn_oracle.py")

    @Test(arguments: formats)
    func unicornWalkerAgreesWithTranslate(format: PageTableFormat) throws {
        let seed: UInt64 = 0x5EED_0000 &+ UInt64(format.name.utf8.reduce(0) { $0 &* 31 &+ Int($1) })
        var random = RandomEntries(
            seed: seed, architecture: format.architecture,
            // Unicorn's x86 CPU (qemu64) has MAXPHYADDR = 40: keep frames below 1 TiB.
            physicalLimit: format.name.hasPrefix("x86_64") || format.name == "i386-pae" ? 1 << 40 : nil)
        // QEMU 5.0 predates Svpbmt and reads PTE bits 62:61 as PPN bits: RISC-V sets stay write-back.
        if format.name.hasPrefix("riscv") { random.cacheModes = [.writeBack] }
        let set = random.set(count: 1500, physicalBits: format.physicalBits)
        let table = try format.makeTable(for: set)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-oracle-\(format.name)-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        try table.image().write(to: directory)

        var queries: [(VirtualAddress, MemoryAccess, PrivilegeLevel)] = []
        for sample in 0..<10_000 {
            let address = random.address(in: set, mapped: sample % 3 != 0)
            for access in MemoryAccess.allCases {
                for privilege in PrivilegeLevel.allCases { queries.append((address, access, privilege)) }
            }
        }
        let letters: [MemoryAccess: String] = [.read: "r", .write: "w", .execute: "x"]
        let queryText = queries.map { "\($0.0) \(letters[$0.1] ?? "r") \($0.2 == .user ? "u" : "k")" }.joined(separator: "\n")
        let queryFile = directory.appendingPathComponent("queries.txt")
        let answerFile = directory.appendingPathComponent("answers.txt")
        try queryText.write(to: queryFile, atomically: true, encoding: .utf8)

        let run = try PythonEnvironment.run([Self.oracle.path, directory.path, queryFile.path, answerFile.path])
        try #require(run.status == 0, "oracle failed (status \(run.status)): \(run.errors)")
        let answers = try String(contentsOf: answerFile, encoding: .utf8).split(separator: "\n").map(String.init)
        try #require(answers.count == queries.count)

        var agreements = 0, mapped = 0, faults = 0
        var disagreements: [String] = []
        for (query, answer) in zip(queries, answers) {
            let ours: String
            switch table.translate(query.0, access: query.1, privilege: query.2) {
            case .mapped(let translation):
                ours = "0x" + String(translation.physicalAddress.rawValue, radix: 16)
                mapped += 1
            case .fault:
                ours = "fault"
                faults += 1
            }
            if ours == answer {
                agreements += 1
            } else if disagreements.count < 8 {
                disagreements.append("\(query.0) \(query.1) \(query.2): ours \(ours), unicorn \(answer), entry \(set.entry(containing: query.0).map(String.init(describing:)) ?? "none")")
            }
        }
        print("unicorn conformance \(format.name): \(agreements)/\(queries.count) agree (\(mapped) mapped, \(faults) faults, \(set.count) entries, seed \(seed))")
        #expect(agreements == queries.count, "\(format.name) seed \(seed): \(disagreements.joined(separator: "\n"))")
    }
}
