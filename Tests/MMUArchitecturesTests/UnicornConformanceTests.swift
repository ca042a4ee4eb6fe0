import Foundation
import MMUArchitectures
import MMUCore
import MMUTestSupport
import Testing

/// Conformance against a real MMU: Unicorn 2.1.4's own page walkers (QEMU 5.0 code) translate
/// sampled addresses of an exported image through tools/oracle/unicorn_oracle.py, and every
/// answer must equal what `translate` gives.
///
/// Agreement alone proves little if the walker mostly faults, so the answers must also cover
/// the table (``Coverage``): at least ``minimumMappedShare`` of them mapped hits, every leaf
/// entry reached by a mapped hit, and every access (read, write, execute) at each privilege
/// (user, kernel) both allowed and refused somewhere.
struct UnicornConformanceTests {
    /// The share of answers that must be mapped hits. The seeds are fixed per format; measured:
    /// 34.5% (riscv-sv57) to 52.2% (i386), from about 63,500 answers each (an address in each
    /// of the 510 to 710 entries and 10,000 random ones, two thirds inside entries, each asked
    /// for the 6 accesses and privileges). Every leaf was reached in every format.
    static let minimumMappedShare = 0.3

    /// What the oracle's answers covered.
    struct Coverage {
        var answers = 0
        var mappedHits = 0
        /// The first page of every entry some mapped hit landed in.
        var visitedEntries: Set<UInt64> = []
        /// Mapped hits and faults per access and privilege, e.g. `read user`.
        var outcomes: [String: (mapped: Int, faults: Int)] = [:]

        mutating func record(_ access: MemoryAccess, _ privilege: PrivilegeLevel, entry: MMUEntry?, mapped: Bool) {
            answers += 1
            outcomes["\(access) \(privilege)", default: (0, 0)].mapped += mapped ? 1 : 0
            outcomes["\(access) \(privilege)", default: (0, 0)].faults += mapped ? 0 : 1
            guard mapped else { return }
            mappedHits += 1
            if let entry { visitedEntries.insert(entry.pageNumber) }
        }

        /// Why these answers do not cover `set`: too few mapped hits, a leaf entry no mapped hit
        /// reached, or an access and privilege never allowed or never refused.
        func problems(covering set: TranslationSet, minimumMappedShare: Double) -> [String] {
            var problems: [String] = []
            if Double(mappedHits) < Double(answers) * minimumMappedShare {
                problems.append("\(mappedHits) of \(answers) answers are mapped hits, below \(Int(minimumMappedShare * 100))%")
            }
            let unvisited = set.entries.filter { !visitedEntries.contains($0.pageNumber) }
            if !unvisited.isEmpty {
                problems.append("\(unvisited.count) of \(set.count) leaf entries never reached by a mapped hit, e.g. \(unvisited[0])")
            }
            for access in MemoryAccess.allCases {
                for privilege in PrivilegeLevel.allCases {
                    let outcome = outcomes["\(access) \(privilege)"] ?? (0, 0)
                    if outcome.mapped == 0 || outcome.faults == 0 {
                        problems.append("\(access) \(privilege): \(outcome.mapped) mapped, \(outcome.faults) faults (both must occur)")
                    }
                }
            }
            return problems
        }
    }

    /// The radix formats Unicorn can walk.
    static let formats = PageTableFormat.all.filter(\.isRadix)

    /// The oracle script, run by the tests' pinned Python environment (tools/python/requirements.txt).
    static let oracle = PythonEnvironment.packageRoot.appendingPathComponent("tools/oracle/unicorn_oracle.py")

    @Test(arguments: formats)
    func unicornWalkerAgreesWithTranslate(format: PageTableFormat) throws {
        try Self.checkAgreement(format: format, convention: .mmustore)
    }

    /// Under ``ExportConvention/linux`` Unicorn walks the converted image with its registers,
    /// and the table read back from it must agree: on AArch64 everywhere (EL1 executes no user
    /// page); on RISC-V everywhere but S-mode loads and stores to U pages, which Unicorn must
    /// refuse under SUM = 0 where the walk allows them as under SUM = 1 (it ignores SUM, as it
    /// ignores x86's SMAP).
    @Test(arguments: ["aarch64-4k-48", "riscv-sv39"])
    func unicornWalksTheLinuxConvention(name: String) throws {
        let format = try #require(PageTableFormat(named: name))
        var allowedByTheWalk = 0
        // Under SUM = 0 Unicorn refuses every S-mode load and store to a U page: fewer mapped
        // hits (measured 26.1% on riscv-sv39, 40.3% on aarch64-4k-48).
        try Self.checkAgreement(format: format, convention: .linux, minimumMappedShare: 0.2) { entry, access, privilege, ours, unicorn in
            let isUserPage = entry?.protection.contains(.user) == true
            guard format.name.hasPrefix("riscv"), privilege == .kernel, access != .execute, isUserPage else { return nil }
            if ours != "fault" { allowedByTheWalk += 1 }
            return unicorn == "fault"
        }
        if format.name.hasPrefix("riscv") { #expect(allowedByTheWalk > 0) }
    }

    /// Exports a random set of `format` under `convention`, asks Unicorn to translate sampled
    /// addresses, and compares with the table read back from the image (the built table for
    /// MMUStore's own convention). `expectedDifference` says, for a query where Unicorn's answer
    /// is known to differ, whether it is the one it must be; `nil`: the answers must agree.
    static func checkAgreement(
        format: PageTableFormat, convention: ExportConvention, minimumMappedShare: Double = minimumMappedShare,
        expectedDifference: (MMUEntry?, MemoryAccess, PrivilegeLevel, String, String) -> Bool? = { _, _, _, _, _ in nil }
    ) throws {
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
        try table.image().following(convention, entries: set.entries).write(to: directory)
        let ours: any HardwarePageTable = convention == .mmustore ? table : try PageTableImage.read(from: directory)

        var queries: [(VirtualAddress, MemoryAccess, PrivilegeLevel)] = []
        // One address in every entry, so every leaf is walked to, then random ones.
        let everyEntry = set.entries.map { VirtualAddress($0.virtualAddress.rawValue + ($0.size.byteCount - 1) / 2) }
        for address in everyEntry + (0..<10_000).map({ sample in random.address(in: set, mapped: sample % 3 != 0) }) {
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
        var coverage = Coverage()
        for (query, answer) in zip(queries, answers) {
            coverage.record(query.1, query.2, entry: set.entry(containing: query.0), mapped: answer != "fault")
            let mine: String
            switch ours.translate(query.0, access: query.1, privilege: query.2) {
            case .mapped(let translation):
                mine = "0x" + String(translation.physicalAddress.rawValue, radix: 16)
                mapped += 1
            case .fault:
                mine = "fault"
                faults += 1
            }
            let entry = set.entry(containing: query.0)
            if let differs = expectedDifference(entry, query.1, query.2, mine, answer) {
                if differs {
                    agreements += 1
                } else if disagreements.count < 8 {
                    disagreements.append(
                        "\(query.0) \(query.1) \(query.2): ours \(mine), unicorn \(answer) where Unicorn's answer is known, entry "
                            + (entry.map(String.init(describing:)) ?? "none"))
                }
            } else if mine == answer {
                agreements += 1
            } else if disagreements.count < 8 {
                disagreements.append("\(query.0) \(query.1) \(query.2): ours \(mine), unicorn \(answer), entry \(set.entry(containing: query.0).map(String.init(describing:)) ?? "none")")
            }
        }
        print(
            "unicorn conformance \(format.name) (\(convention.rawValue)): \(agreements)/\(queries.count) agree (\(mapped) mapped, \(faults) faults, \(set.count) entries, "
                + "\(coverage.visitedEntries.count) visited, seed \(seed)); mapped/faults "
                + coverage.outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.mapped)/\($0.value.faults)" }.joined(separator: ", "))
        #expect(agreements == queries.count, "\(format.name) seed \(seed): \(disagreements.joined(separator: "\n"))")
        let problems = coverage.problems(covering: set, minimumMappedShare: minimumMappedShare)
        #expect(problems.isEmpty, "\(format.name) seed \(seed): \(problems)")
    }

    /// Planted faults for the coverage checks (no oracle needed): answers that are all
    /// faults, answers that never reach one leaf, and answers that never allow an execute must
    /// each be reported.
    @Test func coverageChecksReportFaultsOnlyAnUnvisitedLeafAndAnAccessNeverAllowed() throws {
        let first = MMUEntry(VirtualAddress(0x1000), to: PhysicalAddress(0x5000), protection: [.read, .write, .execute, .user])
        let second = MMUEntry(VirtualAddress(0x2000), to: PhysicalAddress(0x6000), protection: [.read, .write, .execute, .user])
        let set = try TranslationSet(entries: [first, second])
        func coverage(_ mapped: (MMUEntry, MemoryAccess, PrivilegeLevel) -> Bool) -> Coverage {
            var coverage = Coverage()
            for entry in [first, second] {
                for access in MemoryAccess.allCases {
                    for privilege in PrivilegeLevel.allCases {
                        coverage.record(access, privilege, entry: entry, mapped: mapped(entry, access, privilege))
                        coverage.record(access, privilege, entry: nil, mapped: false)
                    }
                }
            }
            return coverage
        }
        #expect(coverage { _, _, _ in true }.problems(covering: set, minimumMappedShare: 0.3).isEmpty)
        let allFaults = coverage { _, _, _ in false }.problems(covering: set, minimumMappedShare: 0.3)
        #expect(allFaults.contains { $0.contains("mapped hits") } && allFaults.contains { $0.contains("leaf entries") })
        let oneLeaf = coverage { entry, _, _ in entry == first }.problems(covering: set, minimumMappedShare: 0.2)
        #expect(oneLeaf == ["1 of 2 leaf entries never reached by a mapped hit, e.g. \(second)"])
        let noExecute = coverage { _, access, _ in access != .execute }.problems(covering: set, minimumMappedShare: 0.3)
        #expect(noExecute.count == 2 && noExecute.allSatisfy { $0.hasPrefix("execute ") })
        print("planted coverage faults: \(allFaults), \(oneLeaf), \(noExecute)")
    }
}
